import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { type BDim, vmapFlat } from './batching';
import { jvpFlat } from './jvp';
import type { Tangent } from './tangent';
import { hoistConsts, runJaxpr, traceFlat } from './tracing';

// Programs derived from a jitted program (its JVP, its batched form), traced once per
// program and variant, so `jvp(jit(f))` and `vmap(jit(f))` also replay without tracing.
const derived = new WeakMap<jc.Jaxpr, Map<string, { jaxpr: jc.Jaxpr; consts: jt.Array[] }>>();

function derive(
  jaxpr: jc.Jaxpr,
  variant: string,
  build: () => { jaxpr: jc.Jaxpr; consts: jt.Array[] },
): { jaxpr: jc.Jaxpr; consts: jt.Array[] } {
  let perJaxpr = derived.get(jaxpr);
  if (perJaxpr === undefined) {
    perJaxpr = new Map();
    derived.set(jaxpr, perJaxpr);
  }
  let d = perJaxpr.get(variant);
  if (d === undefined) {
    d = build();
    perJaxpr.set(variant, d);
  }
  return d;
}

const avalOf = (x: jt.Array | jc.Var): jt.AbstractValue =>
  x instanceof jc.Var ? x.aval : { shape: x.shape, dtype: x.dtype };

/** Binds a derived program as one `jit_call`. */
function bindDerived(
  d: { jaxpr: jc.Jaxpr; consts: jt.Array[] },
  args: readonly jt.Array[],
  name: string,
): jt.Array[] {
  const operands = [...d.consts, ...args];
  return jc.bind('jit_call', operands, {
    jaxpr: d.jaxpr,
    name,
    donated: operands.map(() => false),
  });
}

/** Forward mode: the JVP of the program, traced into a program of its own. */
export function jitCallJvp(
  xs: jt.Array[],
  ts: Tangent[],
  p: jc.JitCallParams,
): [jt.Array[], Tangent[]] {
  const live = ts.map((t) => t !== null);
  const n = xs.length;
  const d = derive(p.jaxpr, `jvp:${live.map(Number).join('')}`, () => {
    const avals = [...xs.map(avalOf), ...xs.filter((_, i) => live[i]).map(avalOf)];
    const traced = traceFlat(
      (args) => {
        let k = n;
        const tangents = live.map((l) => (l ? args[k++]! : null));
        const [po, to] = jvpFlat(runJaxpr(p.jaxpr), args.slice(0, n), tangents);
        return [...po, ...to];
      },
      avals,
      `jvp(${p.name})`,
    );
    return { jaxpr: hoistConsts(traced), consts: traced.consts };
  });
  const outs = bindDerived(
    d,
    [...xs, ...(ts.filter((t) => t !== null) as jt.Array[])],
    `jvp(${p.name})`,
  );
  const m = p.jaxpr.outs.length;
  return [outs.slice(0, m), outs.slice(m)];
}

/** Batching: the program mapped over the batch axes, traced into a program of its own. */
export function jitCallBatch(
  vals: jt.Array[],
  dims: BDim[],
  p: jc.JitCallParams,
  size: number,
): [jt.Array[], BDim[]] {
  const d = derive(p.jaxpr, `vmap:${size}:${dims.join(',')}`, () => {
    const traced = traceFlat(
      (args) => vmapFlat(runJaxpr(p.jaxpr), args, dims, size, 0),
      vals.map(avalOf),
      `vmap(${p.name})`,
    );
    return { jaxpr: hoistConsts(traced), consts: traced.consts };
  });
  const outs = bindDerived(d, vals, `vmap(${p.name})`);
  return [outs, outs.map(() => 0)];
}

/**
 * Transposition of a linear program: the inputs that are not linear are residuals,
 * bound as the program's constants, and the cotangents run backwards through it.
 */
export function jitCallTranspose(
  cts: jt.Array[],
  inputs: readonly (jt.Array | { aval: jt.AbstractValue })[],
  p: jc.JitCallParams,
  backward: (jaxpr: jc.Jaxpr, consts: readonly jt.Array[], cts: readonly Tangent[]) => Tangent[],
): Tangent[] {
  const isResidual = inputs.map((x) => x instanceof jt.Array);
  const jaxpr: jc.Jaxpr = {
    constVars: p.jaxpr.inVars.filter((_, i) => isResidual[i]),
    inVars: p.jaxpr.inVars.filter((_, i) => !isResidual[i]),
    eqns: p.jaxpr.eqns,
    outs: p.jaxpr.outs,
  };
  const residuals = inputs.filter((x): x is jt.Array => x instanceof jt.Array);
  const linearCts = backward(jaxpr, residuals, cts);
  let k = 0;
  return inputs.map((_, i) => (isResidual[i] ? null : (linearCts[k++] ?? null)));
}
