import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { uniformConstsAsBroadcasts } from './uniform-consts';

/**
 * What one tracing level records: equations, and the values from outside it that its
 * program reads. An outside value becomes a constant (`constVars`), except inside a
 * control-flow body, where it becomes an extra leading input that the enclosing equation
 * passes explicitly (so no traced value is ever baked into a program).
 */
interface Recording {
  readonly eqns: jc.JaxprEqn[];
  readonly vars: Map<JaxprTracer, jc.Var>;
  /** Outside values read by the program, by identity, with the tracer standing for each. */
  readonly outside: Map<jt.Array, JaxprTracer>;
  /** Outside values that must become leading inputs rather than constants. */
  readonly hoist: boolean;
  /** The jitted function's name, for error messages. */
  readonly name: string;
}

export class JaxprTracer extends jc.Tracer {
  constructor(
    readonly trace: JaxprTrace,
    readonly aval: jt.AbstractValue,
  ) {
    super();
  }
  get shape(): jt.Shape {
    return this.aval.shape;
  }
  get dtype(): jt.DType {
    return this.aval.dtype;
  }
}

const avalOf = (x: jt.Array): jt.AbstractValue => ({ shape: x.shape, dtype: x.dtype });

/** The tracing interpreter: records every primitive into a jaxpr instead of running it. */
export class JaxprTrace extends jc.Trace {
  get recording(): Recording {
    return this.main.globalData as Recording;
  }

  pure(x: jt.Array): JaxprTracer {
    const { outside } = this.recording;
    let t = outside.get(x);
    if (t === undefined) {
      t = new JaxprTracer(this, avalOf(x));
      outside.set(x, t);
    }
    return t;
  }

  newVar(t: JaxprTracer): jc.Var {
    const { vars } = this.recording;
    let v = vars.get(t);
    if (v === undefined) {
      v = new jc.Var(t.aval);
      vars.set(t, v);
    }
    return v;
  }

  override concretizationError(what: string, x: jc.Tracer): Error {
    return new jt.ConcretizationError(
      `${what}() needs the value of a traced array (${x.dtype}[${x.shape.join(',')}]) inside ` +
        `jit(${this.recording.name}): values are abstract while a function is traced. ` +
        'Use jt.cond/jt.where for control flow that depends on values, or mark the ' +
        'argument static with staticArgnums.',
    );
  }

  process<P extends jc.Primitive>(
    prim: P,
    tracers: jc.Tracer[],
    params: jc.PrimitiveParams[P],
  ): jc.Tracer[] {
    // A custom linear map runs its forward closure here: the closure may read traced values
    // of enclosing levels, which a recorded program must not hold on to.
    if (prim === 'custom_linear') {
      return (params as jc.PrimitiveParams['custom_linear'])
        .forward(tracers)
        .map((o) => (o instanceof JaxprTracer && o.trace.main === this.main ? o : this.pure(o)));
    }
    const [inputs, recorded, extraCarry] = recordClosures(
      this,
      prim,
      tracers as JaxprTracer[],
      params,
    );
    const outAvals = jc.shapeRules[prim](
      inputs.map((t) => t.aval),
      recorded,
    );
    const outs = outAvals.map((a) => new JaxprTracer(this, a));
    this.recording.eqns.push({
      prim,
      inputs: inputs.map((t) => this.newVar(t)),
      params: recorded,
      outs: outs.map((t) => this.newVar(t)),
    });
    return outs.slice(extraCarry);
  }
}

/** A traced function: a jaxpr whose constants are `consts`. */
export interface Traced {
  readonly jaxpr: jc.Jaxpr;
  readonly consts: jt.Array[];
}

/**
 * Traces a flat function on inputs of the given avals into a jaxpr. With `hoist`, values
 * read from outside become leading inputs (`consts` then lists their values, to be passed
 * as operands) instead of constants.
 */
export function traceFlat(
  f: (args: jt.Array[]) => jt.Array[],
  avals: readonly jt.AbstractValue[],
  name: string,
  hoist = false,
): Traced {
  const recording: Recording = {
    eqns: [],
    vars: new Map(),
    outside: new Map(),
    hoist,
    name,
  };
  return jc.newMain(JaxprTrace, recording, (main) => {
    const trace = new JaxprTrace(main);
    const ins = avals.map((a) => new JaxprTracer(trace, a));
    const inVars = ins.map((t) => trace.newVar(t));
    const outs = f(ins).map((o) =>
      o instanceof JaxprTracer && o.trace.main === main ? o : trace.pure(jt.asArray(o)),
    );
    const outVars = outs.map((t) => trace.newVar(t));
    const outside = [...recording.outside.keys()];
    const outsideVars = [...recording.outside.values()].map((t) => trace.newVar(t));
    if (hoist) {
      // A body's outside values are operands of its equation: the enclosing trace owns them.
      const jaxpr = { constVars: [], inVars: [...outsideVars, ...inVars], eqns: recording.eqns };
      return { jaxpr: { ...jaxpr, outs: outVars }, consts: outside };
    }
    const { consts, constVars, eqns } = uniformConstsAsBroadcasts(
      outside,
      outsideVars,
      recording.eqns,
    );
    return { jaxpr: { constVars, inVars, eqns, outs: outVars }, consts };
  });
}

/** A closed jaxpr as a constant-free one: its constants become leading inputs. */
export function hoistConsts(t: Traced): jc.Jaxpr {
  const { constVars, inVars, eqns, outs } = t.jaxpr;
  return { constVars: [], inVars: [...constVars, ...inVars], eqns, outs };
}

/** Runs a constant-free jaxpr as a closure (what recorded control flow calls). */
export const runJaxpr =
  (jaxpr: jc.Jaxpr) =>
  (args: readonly jt.Array[]): jt.Array[] =>
    jc.evalJaxpr(jaxpr, [], args);

/**
 * Replaces the closures of a control-flow equation by jaxprs traced now, so the recorded
 * program holds no JS closure over traced values. Values a body reads from outside
 * become extra leading operands of the equation. Returns the operands and params to record.
 */
function recordClosures<P extends jc.Primitive>(
  trace: JaxprTrace,
  prim: P,
  tracers: JaxprTracer[],
  params: jc.PrimitiveParams[P],
): [JaxprTracer[], jc.PrimitiveParams[P], number] {
  const name = trace.recording.name;
  const lift = (xs: readonly jt.Array[]) =>
    xs.map((x) => (x instanceof JaxprTracer && x.trace.main === trace.main ? x : trace.pure(x)));
  if (prim === 'scan') {
    const p = params as jc.ScanParams;
    const stepAvals = tracers.map((t, i) =>
      i < p.numConsts + p.numCarry ? t.aval : { shape: t.shape.slice(1), dtype: t.dtype },
    );
    const body = traceFlat((a) => p.body(a), stepAvals, name, true);
    const extra = lift(body.consts);
    const recorded: jc.ScanParams = {
      ...p,
      body: runJaxpr(body.jaxpr),
      numConsts: p.numConsts + extra.length,
      bodyJaxpr: { jaxpr: body.jaxpr, consts: [] },
    };
    return [[...extra, ...tracers], recorded as jc.PrimitiveParams[P], 0];
  }
  if (prim === 'cond') {
    const p = params as jc.CondParams;
    const [index, ...ops] = tracers;
    const avals = ops.map((t) => t.aval);
    const traced = p.branches.map((b) => traceFlat((a) => b(a), avals, name, true));
    // Every branch takes the outside values of all branches, in one order.
    const outside = [...new Set(traced.flatMap((t) => t.consts))];
    const branchJaxprs = traced.map((t) => {
      const own = t.jaxpr.inVars.slice(0, t.consts.length);
      const padded = outside.map((x) => {
        const k = t.consts.indexOf(x);
        return k >= 0 ? own[k]! : new jc.Var(avalOf(x));
      });
      return {
        jaxpr: { ...t.jaxpr, inVars: [...padded, ...t.jaxpr.inVars.slice(t.consts.length)] },
        consts: [],
      };
    });
    const recorded: jc.CondParams = {
      ...p,
      branches: branchJaxprs.map((b) => runJaxpr(b.jaxpr)),
      branchJaxprs,
    };
    return [[index!, ...lift(outside), ...ops], recorded as jc.PrimitiveParams[P], 0];
  }
  if (prim === 'while') {
    const p = params as jc.WhileParams;
    const avals = tracers.map((t) => t.aval);
    const cond = traceFlat((a) => [p.cond(a)], avals, name, true);
    const body = traceFlat((a) => p.body(a), avals, name, true);
    // Outside values ride along as extra carry that the body passes through unchanged.
    const outside = [...new Set([...cond.consts, ...body.consts])];
    const k = outside.length;
    const widen = (t: Traced, passThrough: boolean): jc.Jaxpr => {
      const own = t.jaxpr.inVars.slice(0, t.consts.length);
      const lead = outside.map((x) => {
        const i = t.consts.indexOf(x);
        return i >= 0 ? own[i]! : new jc.Var(avalOf(x));
      });
      return {
        ...t.jaxpr,
        inVars: [...lead, ...t.jaxpr.inVars.slice(t.consts.length)],
        outs: passThrough ? [...lead, ...t.jaxpr.outs] : t.jaxpr.outs,
      };
    };
    const condJaxpr = widen(cond, false);
    const bodyJaxpr = widen(body, true);
    const recorded: jc.WhileParams = {
      cond: (a) => runJaxpr(condJaxpr)(a)[0]!,
      body: runJaxpr(bodyJaxpr),
      condJaxpr: { jaxpr: condJaxpr, consts: [] },
      bodyJaxpr: { jaxpr: bodyJaxpr, consts: [] },
    };
    return [[...lift(outside), ...tracers], recorded as jc.PrimitiveParams[P], k];
  }
  return [tracers, params, 0];
}
