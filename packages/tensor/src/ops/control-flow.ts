import { traceClosure } from '../core/abstract-trace';
import type { Array } from '../core/array';
import { isFloat } from '../core/dtype';
import { DTypeError, fmtShape, ShapeError, TraceError, ValueError } from '../core/errors';
import type { AbstractValue } from '../core/primitives';
import { shapesEqual } from '../core/shape';
import { bind } from '../core/trace';
import { defsEqual, defToString, flatten, type TreeDef, unflatten } from '../core/tree';
import { arange, asArray } from './creation';
import { cast } from './elementwise';

const avalOf = (x: Array): AbstractValue => ({ shape: x.shape, dtype: x.dtype });
const leavesAsArrays = (tree: unknown): [Array[], TreeDef] => {
  const [ls, def] = flatten<Array | number | boolean>(tree);
  return [ls.map((l) => asArray(l)), def];
};

function checkSameAvals(
  op: string,
  what: string,
  got: readonly AbstractValue[],
  want: readonly AbstractValue[],
): void {
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!shapesEqual(g.shape, w.shape) || g.dtype !== w.dtype) {
      throw new ShapeError(
        `${op}: ${what} leaf ${i} is ${g.dtype}${fmtShape(g.shape)}, expected ${w.dtype}${fmtShape(w.shape)}`,
      );
    }
  });
}

/**
 * Loops `f(carry, x) → [carry, y]` over the leading axis of every leaf of `xs`,
 * returning the final carry and the stacked `y`s. Differentiable in both modes and
 * batchable; this is what recurrent networks are built on.
 * @example
 * const [total, running] = jt.scan((c, x) => [c.add(x), c.add(x)], jt.zeros([]), jt.arange(5).astype('float32'));
 */
export function scan<C, X, Y>(
  f: (carry: C, x: X) => [C, Y],
  init: C,
  xs: X,
  options: { length?: number; reverse?: boolean } = {},
): [C, Y] {
  const [carryLeaves, carryDef] = leavesAsArrays(init);
  const [xLeaves, xDef] = leavesAsArrays(xs);
  const lengths = new Set(xLeaves.map((x) => x.shape[0]));
  if (xLeaves.some((x) => x.ndim === 0))
    throw new ShapeError('scan: every leaf of xs needs a leading axis to scan over');
  if (lengths.size > 1)
    throw new ShapeError(
      `scan: leaves of xs have different leading sizes ${[...lengths].join(', ')}`,
    );
  const length = options.length ?? xLeaves[0]?.shape[0];
  if (length === undefined) throw new ValueError('scan: give xs or options.length');
  if (xLeaves.length && length !== xLeaves[0]!.shape[0]) {
    throw new ShapeError(
      `scan: length ${length} differs from the leading size ${xLeaves[0]!.shape[0]} of xs`,
    );
  }
  const nc = carryLeaves.length;
  let yDef: TreeDef | undefined;
  const body = (args: readonly Array[]): Array[] => {
    const carry = unflatten<C>(carryDef, args.slice(0, nc));
    const x = unflatten<X>(xDef, args.slice(nc));
    const [c2, y] = f(carry, x);
    const [c2Leaves, c2Def] = leavesAsArrays(c2);
    if (!defsEqual(c2Def, carryDef)) {
      throw new ShapeError(
        `scan: the body returned a carry of structure ${defToString(c2Def)}, expected ${defToString(carryDef)}`,
      );
    }
    const [yLeaves, def] = leavesAsArrays(y);
    yDef = def;
    return [...c2Leaves, ...yLeaves];
  };
  const xAvals = xLeaves.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype }));
  const carryAvals = carryLeaves.map(avalOf);
  const { outAvals, captured } = traceClosure(body, [...carryAvals, ...xAvals]);
  checkSameAvals('scan', 'carry', outAvals.slice(0, nc), carryAvals);
  const def = yDef!;
  // Captured tracers ride along as consts the body ignores: they only make `bind` see
  // every transform the body depends on (each level substitutes its own captured values).
  const k = captured.length;
  const outs = bind('scan', [...captured, ...carryLeaves, ...xLeaves], {
    body: (args) => body(args.slice(k)),
    numConsts: k,
    numCarry: nc,
    length,
    reverse: options.reverse ?? false,
    yAvals: outAvals.slice(nc),
  });
  return [unflatten<C>(carryDef, outs.slice(0, nc)), unflatten<Y>(def, outs.slice(nc))];
}

/**
 * Runs `trueFn(...operands)` if `pred` else `falseFn(...operands)`. Both branches must
 * return the same structure, shapes and dtypes.
 * @example jt.cond(jt.greater(x, 0), (v) => v.mul(2), (v) => v.neg(), x)
 */
export function cond<T>(
  pred: Array | boolean,
  trueFn: (...operands: any[]) => T,
  falseFn: (...operands: any[]) => T,
  ...operands: unknown[]
): T {
  const p = asArray(pred);
  if (p.ndim !== 0)
    throw new ShapeError(`cond: predicate must be a scalar, got ${fmtShape(p.shape)}`);
  // As in JAX: a float predicate is an error, an integer one is true when non-zero. (Casting
  // straight to int32 used to truncate 0.5 to false and turn 2 into an out-of-range index.)
  if (isFloat(p.dtype))
    throw new DTypeError(`cond: predicate must be bool or int32, got ${p.dtype}`);
  const [leaves, def] = leavesAsArrays(operands);
  let outDef: TreeDef | undefined;
  const branch =
    (fn: (...o: any[]) => T) =>
    (args: readonly Array[]): Array[] => {
      const [ls, d] = leavesAsArrays(fn(...unflatten<unknown[]>(def, args)));
      if (outDef !== undefined && !defsEqual(outDef, d)) {
        throw new ShapeError(
          `cond: branches return different structures ${defToString(outDef)} and ${defToString(d)}`,
        );
      }
      outDef = d;
      return ls;
    };
  const branches = [branch(falseFn), branch(trueFn)];
  const avals = leaves.map(avalOf);
  const falseTrace = traceClosure(branches[0]!, avals);
  const trueTrace = traceClosure(branches[1]!, avals);
  const outFalse = falseTrace.outAvals;
  const outTrue = trueTrace.outAvals;
  if (outFalse.length !== outTrue.length)
    throw new ShapeError('cond: branches return different numbers of leaves');
  checkSameAvals('cond', 'true-branch output', outTrue, outFalse);
  // Captured tracers become operands the branches ignore (closure conversion, as in scan).
  const captured = [...new Set([...falseTrace.captured, ...trueTrace.captured])];
  const k = captured.length;
  const outs = bind('cond', [cast(cast(p, 'bool'), 'int32'), ...captured, ...leaves], {
    branches: branches.map((b) => (args: readonly Array[]) => b(args.slice(k))),
    outAvals: outFalse,
  });
  return unflatten<T>(outDef!, outs);
}

/**
 * `while (condFn(carry)) carry = bodyFn(carry)`. Forward-mode differentiable and
 * batchable; for reverse mode use `fori` with static bounds or `scan`.
 * @example jt.whileLoop((c) => jt.less(c, 10), (c) => c.mul(2), jt.array(1))
 */
export function whileLoop<C>(
  condFn: (carry: C) => Array | boolean,
  bodyFn: (carry: C) => C,
  init: C,
): C {
  const [leaves, def] = leavesAsArrays(init);
  const avals = leaves.map(avalOf);
  const body = (args: readonly Array[]): Array[] => {
    const [ls, d] = leavesAsArrays(bodyFn(unflatten<C>(def, args)));
    if (!defsEqual(d, def))
      throw new ShapeError(
        `whileLoop: body returned ${defToString(d)}, expected ${defToString(def)}`,
      );
    return ls;
  };
  const condition = (args: readonly Array[]): Array => {
    const c = asArray(condFn(unflatten<C>(def, args)));
    if (c.ndim !== 0 || c.dtype !== 'bool') {
      throw new TraceError(
        `whileLoop: condition must return a bool scalar, got ${c.dtype}${fmtShape(c.shape)}`,
      );
    }
    return c;
  };
  const bodyTrace = traceClosure(body, avals);
  checkSameAvals('whileLoop', 'body output', bodyTrace.outAvals, avals);
  const condTrace = traceClosure((a) => [condition(a)], avals);
  // Captured tracers travel as extra carry the loop passes through unchanged.
  const captured = [...new Set([...bodyTrace.captured, ...condTrace.captured])];
  const k = captured.length;
  const outs = bind('while', [...captured, ...leaves], {
    cond: (a) => condition(a.slice(k)),
    body: (a) => [...a.slice(0, k), ...body(a.slice(k))],
  });
  return unflatten<C>(def, outs.slice(k));
}

/**
 * `for (i = lower; i < upper; i++) carry = body(i, carry)` with static bounds, as a
 * `scan`, so it is differentiable in both modes.
 * @example jt.fori(0, 5, (i, acc) => acc.add(i), jt.zeros([]))
 */
export function fori<C>(lower: number, upper: number, body: (i: Array, carry: C) => C, init: C): C {
  if (!Number.isInteger(lower) || !Number.isInteger(upper))
    throw new ValueError('fori: bounds must be integers');
  if (upper <= lower) return init;
  return scan((c: C, i: Array) => [body(i, c), null] as [C, null], init, arange(lower, upper))[0];
}
