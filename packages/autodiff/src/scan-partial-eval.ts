import type * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { runJaxpr, traceFlat } from './tracing';

/** What the partial-evaluation trace needs to know about and do with its values. */
export interface PartialEvalOps<T extends jt.Array> {
  isKnown(t: T): boolean;
  /** The value of a known tracer. */
  known(t: T): jt.Array;
  /** A tracer of this level for a value (known). */
  pure(x: jt.Array): T;
  /** `x` itself when it is a tracer of this level, else `pure(x)`. */
  own(x: jt.Array): T;
  /** Records an equation with (possibly known) inputs; returns its unknown outputs. */
  record(prim: 'scan', inputs: T[], params: jc.ScanParams): T[];
}

/** The aval of one step of a scanned array (its leading axis dropped). */
export const stepAval = (a: jt.AbstractValue): jt.AbstractValue => ({
  shape: a.shape.slice(1),
  dtype: a.dtype,
});

/**
 * Partial evaluation of a scan whose inputs are partly unknown (linearize's tangents),
 * keeping it a loop: the body is split into a known part, run now as a scan that also
 * emits the per-step values the unknown part needs (residuals, stacked over steps), and
 * an unknown part, recorded as one scan equation over those residuals. So the recorded
 * program does not grow with the length, and its transpose is a reverse scan.
 */
export function partialEvalScan<T extends jt.Array>(
  ops: PartialEvalOps<T>,
  ts: readonly T[],
  p: jc.ScanParams,
): jt.Array[] {
  const { numConsts: nc0, numCarry: nk, length } = p;
  const avals = ts.map((t, i) =>
    i < nc0 + nk
      ? { shape: t.shape, dtype: t.dtype }
      : stepAval({ shape: t.shape, dtype: t.dtype }),
  );
  // The body as a jaxpr; values it reads from outside become leading const inputs.
  const body = traceFlat((a) => p.body(a), avals, 'scan', true);
  const outside = body.consts.map((x) => ops.own(x));
  const inputs = [...outside, ...ts];
  const nc = nc0 + outside.length;
  const jaxpr = body.jaxpr;
  const inVars = jaxpr.inVars;
  const unknownIn = inputs.map((t) => !ops.isKnown(t));
  const ny = p.yAvals.length;

  // Which values are unknown: a carry is unknown if its initial value or its update is;
  // iterate until the carries settle.
  let unknown = new Set<jc.Var>();
  for (;;) {
    unknown = new Set(inVars.filter((_, i) => unknownIn[i]));
    for (const eqn of jaxpr.eqns) {
      if (eqn.inputs.some((v) => unknown.has(v))) for (const v of eqn.outs) unknown.add(v);
    }
    let changed = false;
    for (let k = 0; k < nk; k++) {
      if (!unknownIn[nc + k] && unknown.has(jaxpr.outs[k]!)) {
        unknownIn[nc + k] = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const isU = (v: jc.Var) => unknown.has(v);
  const carryU = Array.from({ length: nk }, (_, k) => unknownIn[nc + k]!);
  const yU = jaxpr.outs.slice(nk).map(isU);
  const knownEqns = jaxpr.eqns.filter((e) => !e.inputs.some(isU));
  const unknownEqns = jaxpr.eqns.filter((e) => e.inputs.some(isU));

  // Residuals: known values the unknown part reads, and known results at unknown outputs.
  const constVars = new Set(inVars.slice(0, nc));
  const needed = new Set<jc.Var>();
  for (const e of unknownEqns) for (const v of e.inputs) if (!isU(v)) needed.add(v);
  jaxpr.outs.forEach((v, i) => {
    const unknownOut = i < nk ? carryU[i] : yU[i - nk];
    if (unknownOut && !isU(v)) needed.add(v);
  });
  const resConsts = [...needed].filter((v) => constVars.has(v));
  const resSteps = [...needed].filter((v) => !constVars.has(v));

  // The known scan: known consts, carries and xs in; known carries, known ys and the
  // per-step residuals out.
  const knownIdx = inputs.map((_, i) => i).filter((i) => !unknownIn[i]);
  const knownJaxpr: jc.Jaxpr = {
    constVars: [],
    inVars: knownIdx.map((i) => inVars[i]!),
    eqns: knownEqns,
    outs: [
      ...jaxpr.outs.slice(0, nk).filter((_, k) => !carryU[k]),
      ...jaxpr.outs.slice(nk).filter((_, j) => !yU[j]),
      ...resSteps,
    ],
  };
  const knownYAvals = [...p.yAvals.filter((_, j) => !yU[j]), ...resSteps.map((v) => v.aval)];
  const knownNc = knownIdx.filter((i) => i < nc).length;
  const knownNk = knownIdx.filter((i) => i >= nc && i < nc + nk).length;
  const knownOuts = jc.bind(
    'scan',
    knownIdx.map((i) => ops.known(inputs[i]!)),
    {
      body: runJaxpr(knownJaxpr),
      numConsts: knownNc,
      numCarry: knownNk,
      length,
      reverse: p.reverse,
      yAvals: knownYAvals,
      bodyJaxpr: { jaxpr: knownJaxpr, consts: [] },
    },
  );
  const knownCarry = knownOuts.slice(0, knownNk);
  const knownYs = knownOuts.slice(knownNk, knownOuts.length - resSteps.length);
  const stackedRes = knownOuts.slice(knownOuts.length - resSteps.length);

  // The unknown scan: residual consts and unknown consts; unknown carries; stacked
  // residuals and unknown xs.
  const unknownConstIdx = inputs.map((_, i) => i).filter((i) => i < nc && unknownIn[i]);
  const unknownXsIdx = inputs.map((_, i) => i).filter((i) => i >= nc + nk && unknownIn[i]);
  const carryIdx = Array.from({ length: nk }, (_, k) => nc + k).filter((_, k) => carryU[k]);
  const valueOfConst = (v: jc.Var) => inputs[inVars.indexOf(v)]!;
  const unknownJaxpr: jc.Jaxpr = {
    constVars: [],
    inVars: [
      ...resConsts,
      ...unknownConstIdx.map((i) => inVars[i]!),
      ...carryIdx.map((i) => inVars[i]!),
      ...resSteps,
      ...unknownXsIdx.map((i) => inVars[i]!),
    ],
    eqns: unknownEqns,
    outs: [
      ...jaxpr.outs.slice(0, nk).filter((_, k) => carryU[k]),
      ...jaxpr.outs.slice(nk).filter((_, j) => yU[j]),
    ],
  };
  const recorded = ops.record(
    'scan',
    [
      ...resConsts.map(valueOfConst),
      ...unknownConstIdx.map((i) => inputs[i]!),
      ...carryIdx.map((i) => inputs[i]!),
      ...stackedRes.map((r) => ops.pure(r)),
      ...unknownXsIdx.map((i) => inputs[i]!),
    ],
    {
      body: runJaxpr(unknownJaxpr),
      numConsts: resConsts.length + unknownConstIdx.length,
      numCarry: carryIdx.length,
      length,
      reverse: p.reverse,
      yAvals: p.yAvals.filter((_, j) => yU[j]),
      bodyJaxpr: { jaxpr: unknownJaxpr, consts: [] },
    },
  );
  const unknownCarry = recorded.slice(0, carryIdx.length);
  const unknownYs = recorded.slice(carryIdx.length);

  // Reassemble the outputs in the original order.
  let [kc, uc, ky, uy] = [0, 0, 0, 0];
  return [
    ...carryU.map((u) => (u ? unknownCarry[uc++]! : knownCarry[kc++]!)),
    ...yU.map((u) => (u ? unknownYs[uy++]! : knownYs[ky++]!)),
  ].slice(0, nk + ny);
}
