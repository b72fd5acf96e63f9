import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { type Jaxpr, type JaxprEqn, Var } from '@jute/tensor/core';
import { partialEvalScan } from './scan-partial-eval';

/** Known values are computed now; unknown ones are recorded for later. */
export type PartialVal = { readonly known: jt.Array } | { readonly unknown: jt.AbstractValue };

interface EqnRecipe {
  readonly id: number;
  readonly prim: jc.Primitive;
  readonly inputs: readonly PartialEvalTracer[];
  readonly params: unknown;
  readonly outs: PartialEvalTracer[];
}

type Recipe =
  | { kind: 'input' }
  | { kind: 'const'; value: jt.Array }
  | { kind: 'eqn'; eqn: EqnRecipe }
  | { kind: 'known' };

let eqnCounter = 0;

/** The concrete value under a stack of tracers, or undefined when some level cannot show it. */
function concreteValue(x: jt.Array): jt.Array | undefined {
  let v: jt.Array | undefined = x;
  while (v instanceof jc.Tracer) v = v.concrete();
  return v;
}

export class PartialEvalTracer extends jc.Tracer {
  constructor(
    readonly trace: PartialEvalTrace,
    readonly pval: PartialVal,
    public recipe: Recipe,
  ) {
    super();
  }
  get aval(): jt.AbstractValue {
    return 'known' in this.pval ? this.pval.known : this.pval.unknown;
  }
  get shape(): jt.Shape {
    return this.aval.shape;
  }
  get dtype(): jt.DType {
    return this.aval.dtype;
  }
  override concrete(): jt.Array | undefined {
    return 'known' in this.pval ? this.pval.known : undefined;
  }
  override fullLower(): jt.Array {
    return 'known' in this.pval ? this.pval.known : this;
  }
  get isKnown(): boolean {
    return 'known' in this.pval;
  }
}

export class PartialEvalTrace extends jc.Trace {
  pure(x: jt.Array): PartialEvalTracer {
    return new PartialEvalTracer(this, { known: x }, { kind: 'known' });
  }

  /** A known value that an unknown computation uses becomes a constant of the jaxpr. */
  private instantiateConst(t: PartialEvalTracer): PartialEvalTracer {
    if (!t.isKnown) return t;
    return new PartialEvalTracer(
      this,
      { unknown: t.aval },
      { kind: 'const', value: (t.pval as { known: jt.Array }).known },
    );
  }

  process<P extends jc.Primitive>(
    prim: P,
    tracers: jc.Tracer[],
    params: jc.PrimitiveParams[P],
  ): jc.Tracer[] {
    const ts = tracers as PartialEvalTracer[];
    if (ts.every((t) => t.isKnown)) {
      return jc
        .bind(
          prim,
          ts.map((t) => (t.pval as { known: jt.Array }).known),
          params,
        )
        .map((v) => this.pure(v));
    }
    // A scan stays a loop: a known scan runs now, an unknown one is recorded (its
    // transpose is a reverse scan).
    if (prim === 'scan') {
      return this.own(
        partialEvalScan(
          {
            isKnown: (t) => t.isKnown,
            known: (t) => (t.pval as { known: jt.Array }).known,
            pure: (x) => this.pure(x),
            own: (x) =>
              x instanceof PartialEvalTracer && x.trace.main === this.main ? x : this.pure(x),
            record: (prim, inputs, p) => this.record(prim, inputs, p),
          },
          ts,
          params as jc.ScanParams,
        ),
      );
    }
    // A jitted call runs its program here, equation by equation: the known part is
    // computed now and the linear part recorded, as for any other code.
    if (prim === 'jit_call') {
      return this.own(jc.evalJaxpr((params as jc.JitCallParams).jaxpr, [], ts));
    }
    if (prim === 'cond') {
      const p = params as jc.PrimitiveParams['cond'];
      const index = ts[0]!;
      if (!index.isKnown)
        throw new jt.TraceError('cond: the branch index cannot depend on a tangent');
      const value = concreteValue(index);
      if (value !== undefined) return this.own(p.branches[Number(value.item())]!(ts.slice(1)));
      // The index is known but traced below this level (vmap(grad(f)) with a per-example
      // predicate): its value cannot be read, so run every branch and select, which is
      // linear in the tangents (select with a known predicate).
      const results = p.branches.map((b) => b(ts.slice(1)));
      return this.own(
        results[0]!.map((_, j) =>
          results.reduce(
            (acc, r, k) => (k === 0 ? acc : jt.where(jt.equal(index, k), r[j]!, acc)),
            results[0]![j]!,
          ),
        ),
      );
    }
    if (prim === 'while') {
      throw new jt.TraceError(
        'whileLoop is not reverse-mode differentiable (its trip count is unknown); use fori with static bounds or scan',
      );
    }
    return this.record(prim, ts, params);
  }

  /** Records an equation of the linear program; known inputs become its constants. */
  record<P extends jc.Primitive>(
    prim: P,
    ts: readonly PartialEvalTracer[],
    params: jc.PrimitiveParams[P],
  ): PartialEvalTracer[] {
    const inputs = ts.map((t) => this.instantiateConst(t));
    const outAvals = jc.shapeRules[prim](
      inputs.map((t) => t.aval),
      params,
    );
    const eqn: EqnRecipe = { id: eqnCounter++, prim, inputs, params, outs: [] };
    for (const aval of outAvals)
      eqn.outs.push(new PartialEvalTracer(this, { unknown: aval }, { kind: 'eqn', eqn }));
    return eqn.outs;
  }

  /** Results of running user code at this level, as tracers of this trace. */
  private own(xs: readonly jt.Array[]): jc.Tracer[] {
    return xs.map((x) =>
      x instanceof PartialEvalTracer && x.trace.main === this.main ? x : this.pure(x),
    );
  }

  newArg(pval: PartialVal): PartialEvalTracer {
    return new PartialEvalTracer(
      this,
      pval,
      'known' in pval ? { kind: 'known' } : { kind: 'input' },
    );
  }

  /** Makes an output unknown (known outputs become constants of the jaxpr). */
  instantiate(t: PartialEvalTracer): PartialEvalTracer {
    return this.instantiateConst(t);
  }
}

/**
 * Builds the jaxpr computing `outs` from the unknown `ins`: the equations reachable
 * from the outputs, in creation order (which is a topological order).
 */
export function tracersToJaxpr(
  ins: readonly PartialEvalTracer[],
  outs: readonly PartialEvalTracer[],
): [Jaxpr, jt.Array[]] {
  const vars = new Map<PartialEvalTracer, Var>();
  const constVars: Var[] = [];
  const consts: jt.Array[] = [];
  const varOf = (t: PartialEvalTracer): Var => {
    let v = vars.get(t);
    if (v === undefined) {
      v = new Var(t.aval);
      vars.set(t, v);
      if (t.recipe.kind === 'const') {
        constVars.push(v);
        consts.push(t.recipe.value);
      }
    }
    return v;
  };
  const inVars = ins.map(varOf);
  const seen = new Set<EqnRecipe>();
  const stack = [...outs];
  while (stack.length) {
    const t = stack.pop()!;
    if (t.recipe.kind !== 'eqn' || seen.has(t.recipe.eqn)) continue;
    seen.add(t.recipe.eqn);
    stack.push(...t.recipe.eqn.inputs);
  }
  const eqns: JaxprEqn[] = [...seen]
    .sort((a, b) => a.id - b.id)
    .map((e) => ({
      prim: e.prim,
      inputs: e.inputs.map(varOf),
      params: e.params as never,
      outs: e.outs.map(varOf),
    }));
  return [{ constVars, inVars, eqns, outs: outs.map(varOf) }, consts];
}

/**
 * Runs `f` with some inputs known and others unknown: known work happens now, unknown
 * work is recorded. Returns the known outputs and a jaxpr for the `unknownOutputs`.
 */
export function partialEvalFlat(
  f: (args: jt.Array[]) => jt.Array[],
  pvals: readonly PartialVal[],
  unknownOutputs: (i: number) => boolean,
): { outs: (jt.Array | null)[]; jaxpr: Jaxpr; consts: jt.Array[] } {
  return jc.newMain(PartialEvalTrace, null, (main) => {
    const trace = new PartialEvalTrace(main);
    const ins = pvals.map((pv) => trace.newArg(pv));
    const raw = f(ins);
    const outsT = raw.map((o) =>
      o instanceof PartialEvalTracer && o.trace.main === main ? o : trace.pure(o),
    );
    const recorded = outsT.flatMap((t, i) => (unknownOutputs(i) ? [trace.instantiate(t)] : []));
    const unknownIns = ins.filter((t) => !t.isKnown);
    const [jaxpr, consts] = tracersToJaxpr(unknownIns, recorded);
    const outs = outsT.map((t, i) => (unknownOutputs(i) ? null : t.isKnown ? t.concrete()! : null));
    outsT.forEach((t, i) => {
      if (!unknownOutputs(i) && !t.isKnown) {
        throw new jt.TraceError(
          'linearize: a primal output depends on a tangent (is the function pure?)',
        );
      }
    });
    return { outs, jaxpr, consts };
  });
}
