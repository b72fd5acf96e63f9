import * as jt from '@jute/tensor';
import { flattenArrays } from './flat';
import { JVPTrace, JVPTracer } from './jvp';
import { jvp } from './jvp-api';
import { vjp } from './linearize';
import { instantiate } from './tangent';

/** The JVP trace at the top of `args`, if the top transform is forward differentiation. */
function topJvp(args: readonly jt.Array[]): JVPTrace | undefined {
  let top: jt.Tracer | undefined;
  for (const a of args) {
    if (a instanceof jt.Tracer && (top === undefined || a.trace.main.level > top.trace.main.level)) top = a;
  }
  return top?.trace instanceof JVPTrace ? top.trace : undefined;
}

function split(trace: JVPTrace, args: readonly jt.Array[]) {
  const primals = args.map((a) => (a instanceof JVPTracer && a.trace.main === trace.main ? a.primal : a));
  const tangents = args.map((a) => (a instanceof JVPTracer && a.trace.main === trace.main ? a.tangent : null));
  return { primals, tangents };
}

const avalOf = (x: jt.Array): jt.AbstractValue => ({ shape: x.shape, dtype: x.dtype });

/**
 * A function with a hand-written forward-mode rule: `jvpRule(primals, tangents)` returns
 * `[outputs, outputTangents]`. Reverse mode follows by transposing the rule, as in JAX.
 * (When `vmap` is applied outside a `grad`, the rule is bypassed and `f` differentiated.)
 * @example
 * const safeLog = customJvp((x: jt.Array) => jt.log(x), ([x], [t]) => [jt.log(x), jt.div(t, jt.maximum(x, 1e-12))]);
 */
export function customJvp<A extends unknown[], R>(
  f: (...args: A) => R,
  jvpRule: (primals: A, tangents: A) => [R, R],
): (...args: A) => R {
  return (...args: A): R => {
    const [flat, def] = flattenArrays(args);
    const trace = topJvp(flat);
    if (trace === undefined) return f(...args);
    const { primals, tangents } = split(trace, flat);
    const dense = tangents.map((t, i) => instantiate(t, primals[i]!));
    const [outs, touts] = jvpRule(jt.tree.unflatten<A>(def, primals), jt.tree.unflatten<A>(def, dense));
    const [po, outDef] = flattenArrays(outs);
    const [to] = flattenArrays(touts);
    return jt.tree.unflatten<R>(outDef, po.map((p, i) => new JVPTracer(trace, p, to[i] ?? null)));
  };
}

/**
 * A function with a hand-written reverse-mode rule: `fwd(...args)` returns
 * `[output, residuals]` and `bwd(residuals, outputCotangent)` returns one cotangent per
 * argument. Forward mode through it is an error, as in JAX.
 * @example
 * const clipGrad = customVjp((x: jt.Array) => x, (x: jt.Array) => [x, null], (_r, g: jt.Array) => [jt.clip(g, -1, 1)]);
 */
export function customVjp<A extends unknown[], R, Res>(
  f: (...args: A) => R,
  fwd: (...args: A) => [R, Res],
  bwd: (residuals: Res, cotangent: R) => unknown[],
): (...args: A) => R {
  return (...args: A): R => {
    const [flat, def] = flattenArrays(args);
    const trace = topJvp(flat);
    if (trace === undefined) return f(...args);
    const { primals, tangents } = split(trace, flat);
    const [out, res] = fwd(...jt.tree.unflatten<A>(def, primals));
    const [po, outDef] = flattenArrays(out);
    if (tangents.every((t) => t === null)) return jt.tree.unflatten<R>(outDef, po.map((p) => new JVPTracer(trace, p, null)));
    const touts = jt.bind('custom_linear', tangents.map((t, i) => instantiate(t, primals[i]!)), {
      name: 'customVjp',
      forward: () => {
        throw new jt.TraceError('customVjp: forward-mode differentiation (jvp, jacfwd) of a customVjp function is not supported; use customJvp');
      },
      transpose: (cts) => {
        const g = bwd(res, jt.tree.unflatten<R>(outDef, cts));
        const [gs] = flattenArrays(g);
        if (gs.length !== primals.length) throw new jt.ShapeError(`customVjp: bwd returned ${gs.length} cotangent leaves for ${primals.length} inputs`);
        return gs;
      },
      outAvals: po.map(avalOf),
      inAvals: primals.map(avalOf),
    });
    return jt.tree.unflatten<R>(outDef, po.map((p, i) => new JVPTracer(trace, p, touts[i]!)));
  };
}

/**
 * Rematerialization: reverse mode stores only the inputs of `f` and recomputes its
 * internals during the backward pass, trading compute for memory.
 * @example const block = checkpoint((x: jt.Array) => jt.tanh(jt.matmul(x, w)));
 */
export function checkpoint<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    const [flat, def] = flattenArrays(args);
    const trace = topJvp(flat);
    if (trace === undefined) return f(...args);
    const { primals, tangents } = split(trace, flat);
    const call = (xs: jt.Array[]) => f(...jt.tree.unflatten<A>(def, xs));
    const [po, outDef] = flattenArrays(call(primals));
    if (tangents.every((t) => t === null)) return jt.tree.unflatten<R>(outDef, po.map((p) => new JVPTracer(trace, p, null)));
    const touts = jt.bind('custom_linear', tangents.map((t, i) => instantiate(t, primals[i]!)), {
      name: 'checkpoint',
      forward: (ts) => flattenArrays(jvp((...xs: jt.Array[]) => call(xs), primals, ts)[1])[0],
      transpose: (cts) => vjp((...xs: jt.Array[]) => call(xs), ...primals)[1](jt.tree.unflatten<R>(outDef, cts)) as jt.Array[],
      outAvals: po.map(avalOf),
      inAvals: primals.map(avalOf),
    });
    return jt.tree.unflatten<R>(outDef, po.map((p, i) => new JVPTracer(trace, p, touts[i]!)));
  };
}
