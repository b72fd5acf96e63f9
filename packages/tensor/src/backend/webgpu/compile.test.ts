import { describe, expect, it } from 'vitest';
import { type Jaxpr, type JaxprEqn, Var } from '../../core/jaxpr';
import type { Primitive } from '../../core/primitives';
import { planSteps } from './compile';

const f32 = (shape: number[]) => new Var({ shape, dtype: 'float32' });
const eqn = (prim: Primitive, inputs: Var[], outs: Var[], params: object = {}): JaxprEqn =>
  ({ prim, inputs, outs, params }) as unknown as JaxprEqn;

describe('planSteps (WGSL fusion)', () => {
  it('fuses an elementwise chain with a broadcast scalar into one kernel that writes only what is read later', () => {
    const x = f32([8]);
    const c = f32([]);
    const cb = f32([8]);
    const a = f32([8]);
    const b = f32([8]);
    const d = f32([8]);
    const w = f32([8, 3]);
    const y = f32([3]);
    const e = f32([3]);
    const jaxpr: Jaxpr = {
      constVars: [],
      inVars: [x, c, w],
      eqns: [
        eqn('sin', [x], [a]),
        eqn('broadcast_in_dim', [c], [cb], { shape: [8], dims: [] }),
        eqn('add', [a, cb], [b]),
        eqn('mul', [b, x], [d]),
        eqn('dot_general', [d, w], [y], { contract: [[0], [0]], batch: [[], []] }),
        eqn('exp', [y], [e]),
      ],
      outs: [e, b],
    };
    const steps = planSteps(jaxpr, 8);
    expect(steps.map((s) => s.kind)).toEqual(['fused', 'eqn', 'fused']);
    const first = steps[0]!;
    if (first.kind !== 'fused') throw new Error('expected a fused step');
    // x once, c read broadcast; b is a program output and d feeds the matmul.
    expect(first.inputs).toEqual([x, c]);
    expect(new Set(first.outputs)).toEqual(new Set([b, d]));
    expect(first.code).toContain('sin(');
    expect(first.code).not.toContain('out2');
  });

  it('closes a group before an equation that reads it and when the shape changes', () => {
    const x = f32([4]);
    const a = f32([4]);
    const s = f32([]);
    const t = f32([]);
    const jaxpr: Jaxpr = {
      constVars: [],
      inVars: [x],
      eqns: [
        eqn('exp', [x], [a]),
        eqn('reduce_sum', [a], [s], { axes: [0] }),
        eqn('neg', [s], [t]),
      ],
      outs: [t],
    };
    expect(planSteps(jaxpr, 8).map((st) => st.kind)).toEqual(['fused', 'eqn', 'fused']);
  });

  it('keeps a group within the storage-binding limit', () => {
    const ins = [0, 1, 2, 3, 4].map(() => f32([2]));
    const outs: Var[] = [];
    const eqns: JaxprEqn[] = [];
    let acc = ins[0]!;
    for (const v of ins.slice(1)) {
      const o = f32([2]);
      eqns.push(eqn('add', [acc, v], [o]));
      outs.push(o);
      acc = o;
    }
    // Every partial sum is an output: 5 inputs + 4 outputs exceed 8 bindings.
    const steps = planSteps({ constVars: [], inVars: ins, eqns, outs }, 8);
    expect(steps.length).toBe(2);
    for (const st of steps) {
      if (st.kind !== 'fused') throw new Error('expected fused steps');
      expect(st.inputs.length + st.outputs.length).toBeLessThanOrEqual(8);
    }
  });
});
