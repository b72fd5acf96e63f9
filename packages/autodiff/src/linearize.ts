import * as jt from '@jute/tensor';
import { evalJaxpr } from '@jute/tensor/core';
import { flattenArrays, flattenFun } from './flat';
import { jvpFlat } from './jvp';
import { partialEvalFlat } from './partial-eval';
import { backwardPass } from './transpose';

/**
 * Linearizes a flat function: evaluates it and records its JVP's tangent computation as
 * a linear jaxpr (partial evaluation with primals known and tangents unknown).
 */
export function linearizeFlat(f: (args: jt.Array[]) => jt.Array[], primals: readonly jt.Array[]) {
  const n = primals.length;
  let nOut = 0;
  const fJvp = (args: jt.Array[]): jt.Array[] => {
    const [p, t] = jvpFlat(f, args.slice(0, n), args.slice(n));
    nOut = p.length;
    return [...p, ...t];
  };
  const pvals = [
    ...primals.map((p) => ({ known: p })),
    ...primals.map((p) => ({ unknown: { shape: p.shape, dtype: p.dtype } })),
  ];
  const { outs, jaxpr, consts } = partialEvalFlat(fJvp, pvals, (i) => i >= nOut);
  const primalsOut = outs.slice(0, nOut) as jt.Array[];
  return { primalsOut, jaxpr, consts };
}

function checkDifferentiable(op: string, leaves: readonly jt.Array[]): void {
  leaves.forEach((l, i) => {
    if (!jt.isFloat(l.dtype)) {
      throw new jt.DTypeError(
        `${op}: input leaf ${i} has dtype ${l.dtype}; only float32/float64 inputs can be differentiated`,
      );
    }
  });
}

/**
 * Evaluates `f` at `primals` and returns its linear map at that point (forward mode,
 * without re-running `f`).
 * @example
 * const [y, fLin] = linearize((x) => jt.sin(x), jt.array(0.5));
 * fLin(jt.array(1)); // cos(0.5)
 */
export function linearize<T>(
  f: (...args: any[]) => T,
  ...primals: unknown[]
): [T, (...tangents: unknown[]) => T] {
  const [flatIn, inDef] = flattenArrays(primals);
  checkDifferentiable('linearize', flatIn);
  const [flatF, outDef] = flattenFun(f, inDef);
  const { primalsOut, jaxpr, consts } = linearizeFlat(flatF, flatIn);
  const fLin = (...tangents: unknown[]): T => {
    const [ts] = flattenArrays(tangents);
    if (ts.length !== flatIn.length)
      throw new jt.ShapeError(
        `linearize: expected ${flatIn.length} tangent leaves, got ${ts.length}`,
      );
    return jt.tree.unflatten<T>(outDef(), evalJaxpr(jaxpr, consts, ts));
  };
  return [jt.tree.unflatten<T>(outDef(), primalsOut), fLin];
}

/**
 * Reverse mode: evaluates `f` and returns a function pulling output cotangents back to
 * the inputs (one cotangent pytree per argument, as a tuple).
 * @example
 * const [y, back] = vjp((x) => jt.sum(jt.square(x)), x);
 * const [gx] = back(jt.array(1));
 */
export function vjp<T>(
  f: (...args: any[]) => T,
  ...primals: unknown[]
): [T, (cotangent: T) => any[]] {
  const [flatIn, inDef] = flattenArrays(primals);
  checkDifferentiable('vjp', flatIn);
  const [flatF, outDef] = flattenFun(f, inDef);
  const { primalsOut, jaxpr, consts } = linearizeFlat(flatF, flatIn);
  const back = (cotangent: T): any[] => {
    const [cts, ctDef] = flattenArrays(cotangent);
    if (
      !jt.tree.equalStructure(
        jt.tree.unflatten(ctDef, cts),
        jt.tree.unflatten(outDef(), primalsOut),
      )
    ) {
      throw new jt.ShapeError('vjp: the cotangent must have the structure of the output');
    }
    cts.forEach((c, i) => {
      const o = primalsOut[i]!;
      if (c.shape.join() !== o.shape.join()) {
        throw new jt.ShapeError(
          `vjp: cotangent leaf ${i} has shape [${c.shape}], the output has [${o.shape}]`,
        );
      }
    });
    const inCts = backwardPass(jaxpr, consts, cts);
    const dense = inCts.map((c, i) => c ?? jt.zerosLike(flatIn[i]!));
    return jt.tree.unflatten<any[]>(
      inDef,
      dense.map((c, i) => jt.cast(c, flatIn[i]!.dtype)),
    );
  };
  return [jt.tree.unflatten<T>(outDef(), primalsOut), back];
}
