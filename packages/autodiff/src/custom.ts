import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { BatchTrace, BatchTracer, type BDim, vmapFlat } from './batching';
import { flattenArrays } from './flat';
import { JVPTrace, JVPTracer } from './jvp';
import { jvp } from './jvp-api';
import { vjp } from './linearize';
import { instantiate, type Tangent } from './tangent';

/** The trace of the highest-level tracer among `args` (undefined when all are concrete). */
function topTrace(args: readonly jt.Array[]): jc.Trace | undefined {
  let top: jc.Tracer | undefined;
  for (const a of args) {
    if (a instanceof jc.Tracer && (top === undefined || a.trace.main.level > top.trace.main.level))
      top = a;
  }
  return top?.trace;
}

function split(trace: JVPTrace, args: readonly jt.Array[]) {
  const own = (a: jt.Array): a is JVPTracer =>
    a instanceof JVPTracer && a.trace.main === trace.main;
  // fullLower: under linearize the primals are *known* partial-eval tracers; the
  // custom_linear closures (checkpoint's recompute, customVjp's residuals) run in the
  // backward pass after that trace has ended, so they must capture the known values.
  const primals = args.map((a) => {
    const p = own(a) ? a.primal : a;
    return p instanceof jc.Tracer ? p.fullLower() : p;
  });
  const tangents = args.map((a) => (own(a) ? a.tangent : null));
  return { primals, tangents };
}

/**
 * When `vmap` sits above the differentiation (`grad(vmap(f))`), the top tracer is a
 * batch tracer and the custom rule would be bypassed. As JAX batches a custom_jvp/vjp
 * call, we strip this batch level: the caller re-applies the custom wrapper to the
 * batched values with vmapped `f`/rules, and wraps the results (batched at 0) back.
 */
function unbatch(trace: BatchTrace, args: readonly jt.Array[]) {
  const own = (a: jt.Array): a is BatchTracer =>
    a instanceof BatchTracer && a.trace.main === trace.main;
  const vals = args.map((a) => (own(a) ? a.val : a));
  const dims: BDim[] = args.map((a) => (own(a) ? a.bdim : null));
  const rebatch = (outs: readonly jt.Array[]) => outs.map((o) => new BatchTracer(trace, o, 0));
  /** `g` vmapped over the stripped level (inputs batched along `inDims`, outputs at 0). */
  const batched =
    (g: (xs: jt.Array[]) => jt.Array[], inDims: readonly BDim[] = dims) =>
    (xs: jt.Array[]): jt.Array[] =>
      vmapFlat(g, xs, inDims, trace.axisSize, 0, trace.main);
  return { vals, dims, rebatch, batched };
}

/** `f` over the flat leaves of its arguments (structure `def`), recording the output structure. */
function flatCallOf<A extends unknown[], R>(
  f: (...args: A) => R,
  def: jt.TreeDef,
  onDef: (def: jt.TreeDef) => void,
) {
  return flatCall((a) => f(...jt.tree.unflatten<A>(def, a)), onDef);
}

/**
 * The JVP tracers of a custom function's outputs `po`, whose tangents are the linear
 * primitive `custom_linear` applied to the input tangents (symbolic zeros when all are).
 */
function linearOutputs(
  trace: JVPTrace,
  primals: readonly jt.Array[],
  tangents: readonly Tangent[],
  po: readonly jt.Array[],
  rule: Pick<jc.PrimitiveParams['custom_linear'], 'name' | 'forward' | 'transpose'>,
): JVPTracer[] {
  if (tangents.every((t) => t === null)) return po.map((p) => new JVPTracer(trace, p, null));
  const touts = jc.bind(
    'custom_linear',
    tangents.map((t, i) => instantiate(t, primals[i]!)),
    { ...rule, outAvals: po.map(avalOf), inAvals: primals.map(avalOf) },
  );
  return po.map((p, i) => new JVPTracer(trace, p, touts[i]!));
}

/** `f` over flat leaves, recording the output structure. */
function flatCall<R>(f: (args: jt.Array[]) => R, onDef: (def: jt.TreeDef) => void) {
  return (args: jt.Array[]): jt.Array[] => {
    const [outs, def] = flattenArrays(f(args));
    onDef(def);
    return outs;
  };
}

const avalOf = (x: jt.Array): jt.AbstractValue => ({ shape: x.shape, dtype: x.dtype });

/**
 * A function with a hand-written forward-mode rule: `jvpRule(primals, tangents)` returns
 * `[outputs, outputTangents]`. Reverse mode follows by transposing the rule, as in JAX.
 * Under `vmap` the rule is vmapped too, whichever order the transforms are nested in.
 * @example
 * const safeLog = customJvp((x: jt.Array) => jt.log(x), ([x], [t]) => [jt.log(x), jt.div(t, jt.maximum(x, 1e-12))]);
 */
export function customJvp<A extends unknown[], R>(
  f: (...args: A) => R,
  jvpRule: (primals: A, tangents: A) => [R, R],
): (...args: A) => R {
  return (...args: A): R => {
    const [flat, def] = flattenArrays(args);
    const top = topTrace(flat);
    if (top instanceof BatchTrace) {
      const { vals, dims, rebatch, batched } = unbatch(top, flat);
      let outDef: jt.TreeDef | undefined;
      const setDef = (d: jt.TreeDef) => {
        outDef = d;
      };
      const fB = (...xs: jt.Array[]) => batched(flatCallOf(f, def, setDef))(xs);
      const ruleB = (ps: jt.Array[], ts: jt.Array[]): [jt.Array[], jt.Array[]] => {
        let m = 0;
        const both = (a: jt.Array[]): jt.Array[] => {
          const [o, to] = jvpRule(
            jt.tree.unflatten<A>(def, a.slice(0, ps.length)),
            jt.tree.unflatten<A>(def, a.slice(ps.length)),
          );
          const [oo, d] = flattenArrays(o);
          setDef(d);
          m = oo.length;
          return [...oo, ...flattenArrays(to)[0]];
        };
        const outs = batched(both, [...dims, ...dims])([...ps, ...ts]);
        return [outs.slice(0, m), outs.slice(m)];
      };
      const outs = customJvp(fB, ruleB)(...vals);
      return jt.tree.unflatten<R>(outDef!, rebatch(outs));
    }
    const trace = top instanceof JVPTrace ? top : undefined;
    if (trace === undefined) return f(...args);
    const { primals, tangents } = split(trace, flat);
    const dense = tangents.map((t, i) => instantiate(t, primals[i]!));
    const [outs, touts] = jvpRule(
      jt.tree.unflatten<A>(def, primals),
      jt.tree.unflatten<A>(def, dense),
    );
    const [po, outDef] = flattenArrays(outs);
    const [to] = flattenArrays(touts);
    return jt.tree.unflatten<R>(
      outDef,
      po.map((p, i) => new JVPTracer(trace, p, to[i] ?? null)),
    );
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
    const top = topTrace(flat);
    if (top instanceof BatchTrace) {
      const { vals, dims, rebatch, batched } = unbatch(top, flat);
      let outDef: jt.TreeDef | undefined;
      let resDef: jt.TreeDef | undefined;
      const setDef = (d: jt.TreeDef) => {
        outDef = d;
      };
      const fB = (...xs: jt.Array[]) => batched(flatCallOf(f, def, setDef))(xs);
      const fwdB = (...xs: jt.Array[]): [jt.Array[], jt.Array[]] => {
        let m = 0;
        const both = (a: jt.Array[]): jt.Array[] => {
          const [o, r] = fwd(...jt.tree.unflatten<A>(def, a));
          const [oo, d] = flattenArrays(o);
          const [rr, rd] = flattenArrays(r);
          setDef(d);
          resDef = rd;
          m = oo.length;
          return [...oo, ...rr];
        };
        const outs = batched(both)(xs);
        return [outs.slice(0, m), outs.slice(m)];
      };
      const bwdB = (res: jt.Array[], cts: jt.Array[]): jt.Array[] => {
        const call = (a: jt.Array[]) =>
          flattenArrays(
            bwd(
              jt.tree.unflatten<Res>(resDef!, a.slice(0, res.length)),
              jt.tree.unflatten<R>(outDef!, a.slice(res.length)),
            ),
          )[0];
        const gs = batched(
          call,
          [...res, ...cts].map(() => 0),
        )([...res, ...cts]);
        // Cotangents come back batched at 0: inputs shared by the batch get their sum.
        return gs.map((g, i) => {
          const d = dims[i] ?? null;
          return d === null ? jt.sum(g, { axis: 0 }) : jt.moveAxis(g, 0, d);
        });
      };
      const outs = customVjp(fB, fwdB, bwdB)(...vals);
      return jt.tree.unflatten<R>(outDef!, rebatch(outs));
    }
    const trace = top instanceof JVPTrace ? top : undefined;
    if (trace === undefined) return f(...args);
    const { primals, tangents } = split(trace, flat);
    const [out, res] = fwd(...jt.tree.unflatten<A>(def, primals));
    const [po, outDef] = flattenArrays(out);
    return jt.tree.unflatten<R>(
      outDef,
      linearOutputs(trace, primals, tangents, po, {
        name: 'customVjp',
        forward: () => {
          throw new jt.TraceError(
            'customVjp: forward-mode differentiation (jvp, jacfwd) of a customVjp function is not supported; use customJvp',
          );
        },
        transpose: (cts) => {
          const g = bwd(res, jt.tree.unflatten<R>(outDef, cts));
          const [gs] = flattenArrays(g);
          if (gs.length !== primals.length)
            throw new jt.ShapeError(
              `customVjp: bwd returned ${gs.length} cotangent leaves for ${primals.length} inputs`,
            );
          return gs;
        },
      }),
    );
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
    const top = topTrace(flat);
    if (top instanceof BatchTrace) {
      const { vals, rebatch, batched } = unbatch(top, flat);
      let outDef: jt.TreeDef | undefined;
      const fB = (...xs: jt.Array[]) =>
        batched(
          flatCallOf(f, def, (d) => {
            outDef = d;
          }),
        )(xs);
      const outs = checkpoint(fB)(...vals);
      return jt.tree.unflatten<R>(outDef!, rebatch(outs));
    }
    const trace = top instanceof JVPTrace ? top : undefined;
    if (trace === undefined) return f(...args);
    const { primals, tangents } = split(trace, flat);
    const call = (xs: jt.Array[]) => f(...jt.tree.unflatten<A>(def, xs));
    const [po, outDef] = flattenArrays(call(primals));
    return jt.tree.unflatten<R>(
      outDef,
      linearOutputs(trace, primals, tangents, po, {
        name: 'checkpoint',
        forward: (ts) => flattenArrays(jvp((...xs: jt.Array[]) => call(xs), primals, ts)[1])[0],
        transpose: (cts) =>
          vjp((...xs: jt.Array[]) => call(xs), ...primals)[1](
            jt.tree.unflatten<R>(outDef, cts),
          ) as jt.Array[],
      }),
    );
  };
}
