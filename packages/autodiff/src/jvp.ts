import type * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { jvpRules } from './jvp-rules';
import { instantiate, type Tangent } from './tangent';

/** A value under forward-mode differentiation: a primal and its (possibly zero) tangent. */
export class JVPTracer extends jc.Tracer {
  constructor(
    readonly trace: JVPTrace,
    readonly primal: jt.Array,
    readonly tangent: Tangent,
  ) {
    super();
  }
  get shape(): jt.Shape {
    return this.primal.shape;
  }
  get dtype(): jt.DType {
    return this.primal.dtype;
  }
  override concrete(): jt.Array {
    return this.primal;
  }
}

export class JVPTrace extends jc.Trace {
  pure(x: jt.Array): JVPTracer {
    return new JVPTracer(this, x, null);
  }
  /**
   * A JVP level running a closure (scan body, cond branch ...) of the level `copyOf`
   * (its globalData) sees the tracers of that level the closure captured with their
   * tangents, not as constants: closure conversion without jaxprs.
   */
  override lift(x: jt.Array): JVPTracer {
    const copyOf = this.main.globalData as jc.MainTrace | null;
    if (x instanceof JVPTracer && copyOf !== null && x.trace.main === copyOf)
      return new JVPTracer(this, x.primal, x.tangent);
    return this.pure(x);
  }
  process<P extends jc.Primitive>(
    prim: P,
    tracers: jc.Tracer[],
    params: jc.PrimitiveParams[P],
  ): jc.Tracer[] {
    const ts = tracers as JVPTracer[];
    const [primals, tangents] = jvpRules[prim](
      ts.map((t) => t.primal),
      ts.map((t) => t.tangent),
      params,
      this.main,
    );
    return primals.map((p, i) => new JVPTracer(this, p, tangents[i] ?? null));
  }
}

/** The JVP trace of the given main (for rules that call user code at that level). */
export const isJvpTrace = (t: jc.Trace): t is JVPTrace => t instanceof JVPTrace;

/**
 * Forward mode over flat lists: returns primal outputs and their tangents (symbolic
 * zeros made concrete, so callers always get arrays).
 */
export function jvpFlat(
  f: (args: jt.Array[]) => jt.Array[],
  primals: readonly jt.Array[],
  tangents: readonly Tangent[],
  copyOf: jc.MainTrace | null = null,
): [jt.Array[], jt.Array[]] {
  return jc.newMain(JVPTrace, copyOf, (main) => {
    const trace = new JVPTrace(main);
    const ins = primals.map((p, i) => new JVPTracer(trace, p, tangents[i] ?? null));
    const outs = f(ins);
    const primalsOut: jt.Array[] = [];
    const tangentsOut: jt.Array[] = [];
    for (const o of outs) {
      if (o instanceof JVPTracer && o.trace.main === main) {
        primalsOut.push(o.primal);
        tangentsOut.push(instantiate(o.tangent, o.primal));
      } else {
        primalsOut.push(o);
        tangentsOut.push(instantiate(null, o));
      }
    }
    return [primalsOut, tangentsOut];
  });
}
