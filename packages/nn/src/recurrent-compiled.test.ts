import { makeJaxpr, valueAndGrad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { describe, expect, it } from 'vitest';
import * as nn from './index';

// What the compiler makes of an LSTM's training step on the WebAssembly backend: the time
// loops are where the step spends its time, so each step of them should be one matrix
// product and one fused kernel (gate slices loaded in place, the projections' sum and
// the gate gradients' concatenation done by that kernel, the weight gradient hoisted).
describe('an LSTM training step, compiled', () => {
  it('runs one matrix product and one fused kernel per time step, forward and back', () => {
    const model = nn.sequential(nn.named('lstm', nn.lstm({ features: 16, returnSequences: true })));
    const x = jt.random.normal(jt.random.key(1), [8, 5, 12]);
    const { params, state } = model.init(jt.random.key(0), x.shape);
    const loss = (p: typeof params) => jt.sum(jt.square(model.apply(p, x, { state }).y));
    const closed = makeJaxpr(valueAndGrad(loss))(params);
    const { jaxpr } = closed;
    const flat = { ...jaxpr, constVars: [], inVars: [...jaxpr.constVars, ...jaxpr.inVars] };
    const scans = jc.planProgram(flat, true).program.eqns.filter((e) => e.prim === 'scan');
    const perStep = scans.map((scan) => {
      const body = (scan.params as jc.ScanParams).bodyJaxpr!.jaxpr;
      jc.typecheckJaxpr(body);
      return jc
        .planProgram(body, true)
        .steps.map((s) => (s.kind === 'fused' ? 'fused' : s.eqn.prim))
        .sort();
    });
    expect(perStep).toEqual([
      ['dot_general', 'fused'],
      ['dot_general', 'fused'],
    ]);
  });
});
