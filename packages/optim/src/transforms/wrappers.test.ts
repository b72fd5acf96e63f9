import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as optim from '../index';

const vals = (x: jt.Array): number[] => [...x.data()];

describe('masked, freeze and multiTransform', () => {
  const params = { encoder: { w: jt.ones([2]), b: jt.ones([1]) }, head: jt.ones([3]) };
  const grads = { encoder: { w: jt.array([1, 1]), b: jt.array([1]) }, head: jt.array([1, 2, 3]) };

  it('masked applies the inner transformation to selected leaves only', () => {
    const opt = optim.masked(optim.scale(10), { encoder: false, head: true });
    const state = opt.init(params);
    const [u] = opt.update(grads, state, params);
    expect(vals(u.head)).toEqual([10, 20, 30]);
    expect(vals(u.encoder.w)).toEqual([1, 1]); // passed through unchanged
  });

  it('masked inner state only holds the selected leaves', () => {
    const opt = optim.masked(optim.scaleByAdam(), { encoder: { w: true, b: false }, head: false });
    const state = opt.init(params);
    // Two arrays per moment would be 6 leaves with all selected; here mu and nu hold only encoder.w.
    expect(jt.tree.leaves(state)).toHaveLength(3);
    const [u, next] = opt.update(grads, state, params);
    expect(vals(u.encoder.w)[0]).toBeCloseTo(1, 5);
    expect(vals(u.head)).toEqual([1, 2, 3]);
    expect(jt.tree.equalStructure(state, next)).toBe(true);
  });

  it('freeze keeps frozen parameters exactly where they are', () => {
    const opt = optim.chain(
      optim.adamw({ learningRate: 0.1, weightDecay: 0.1 }),
      optim.freeze({ encoder: true, head: false }),
    );
    let p = params;
    let state = opt.init(p);
    for (let i = 0; i < 3; i++) {
      const [u, s] = opt.update(grads, state, p);
      p = optim.applyUpdates(p, u);
      state = s;
    }
    expect(vals(p.encoder.w)).toEqual([1, 1]);
    expect(vals(p.encoder.b)).toEqual([1]);
    expect(vals(p.head).every((v) => v < 0.8)).toBe(true);
  });

  it('multiTransform applies a different optimizer per label', () => {
    const opt = optim.multiTransform(
      {
        frozen: optim.setToZero(),
        fast: optim.sgd({ learningRate: 1 }),
        slow: optim.sgd({ learningRate: 0.1 }),
      },
      (p: typeof params) => ({
        encoder: { w: 'slow', b: 'frozen' },
        head: p.head.size > 2 ? 'fast' : 'slow',
      }),
    );
    const state = opt.init(params);
    const [u, next] = opt.update(grads, state, params);
    expect(vals(u.encoder.w)).toEqual([-0.1, -0.1].map((v) => expect.closeTo(v, 6)));
    expect(vals(u.encoder.b)).toEqual([0]);
    expect(vals(u.head)).toEqual([-1, -2, -3]);
    expect(Object.keys(next.innerStates).sort()).toEqual(['fast', 'frozen', 'slow']);
    expect(jt.tree.leaves(next).every((l) => l instanceof jt.Array)).toBe(true);
  });

  it('multiTransform with a prefix label tree', () => {
    const opt = optim.multiTransform(
      { a: optim.scale(2), b: optim.scale(3) },
      { encoder: 'a', head: 'b' },
    );
    const [u] = opt.update(grads, opt.init(params), params);
    expect(vals(u.encoder.w)).toEqual([2, 2]);
    expect(vals(u.head)).toEqual([3, 6, 9]);
  });
});

describe('multiSteps', () => {
  it('k accumulated steps equal one step on the mean gradient', () => {
    const k = 3;
    const gs = [jt.array([1, -2]), jt.array([3, 0.5]), jt.array([-1, 4])];
    const p0 = jt.array([0.5, 1]);
    const acc = optim.multiSteps(optim.adam({ learningRate: 0.1 }), { everyK: k });
    let p = p0;
    let state = acc.init(p);
    for (let i = 0; i < k; i++) {
      const [u, s] = acc.update(gs[i]!, state, p);
      if (i < k - 1) {
        expect(vals(u)).toEqual([0, 0]);
        expect(optim.multiStepsHasUpdated(s)).toBe(false);
      } else expect(optim.multiStepsHasUpdated(s)).toBe(true);
      p = optim.applyUpdates(p, u);
      state = s;
    }
    const mean = jt.div(jt.add(jt.add(gs[0]!, gs[1]!), gs[2]!), 3);
    const ref = optim.adam({ learningRate: 0.1 });
    const [ru] = ref.update(mean, ref.init(p0), p0);
    const want = vals(optim.applyUpdates(p0, ru));
    vals(p).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 6);
    });
    expect(state.miniStep.item()).toBe(0);
    expect(state.gradientStep.item()).toBe(1);
    expect(vals(state.accGrads as jt.Array)).toEqual([0, 0]);
  });

  it('rejects everyK < 1', () => {
    expect(() => optim.multiSteps(optim.sgd({ learningRate: 1 }), { everyK: 0 })).toThrow(
      jt.ValueError,
    );
  });
});

describe('applyIfFinite', () => {
  it('skips NaN/Inf updates and keeps the inner state', () => {
    const opt = optim.applyIfFinite(optim.adam({ learningRate: 0.1 }), { maxConsecutiveErrors: 2 });
    const p = { w: jt.array([1, 2]) };
    let state = opt.init(p);
    let [u, s] = opt.update({ w: jt.array([Number.NaN, 1]) }, state, p);
    expect(vals(u.w)).toEqual([0, 0]);
    expect(s.lastFinite.item()).toBe(false);
    expect(s.notFiniteCount.item()).toBe(1);
    expect(s.totalNotFinite.item()).toBe(1);
    expect((s.innerState as { count: jt.Array }[])[0]!.count.item()).toBe(0);
    state = s;
    [u, s] = opt.update({ w: jt.array([1, 1]) }, state, p);
    expect(vals(u.w).every((v) => Math.abs(v + 0.1) < 1e-5)).toBe(true);
    expect(s.notFiniteCount.item()).toBe(0);
    expect(s.lastFinite.item()).toBe(true);
    expect(s.totalNotFinite.item()).toBe(1);
    expect((s.innerState as { count: jt.Array }[])[0]!.count.item()).toBe(1);
  });

  it('applies the update anyway after maxConsecutiveErrors bad ones', () => {
    const opt = optim.applyIfFinite(optim.sgd({ learningRate: 1 }), { maxConsecutiveErrors: 1 });
    let state = opt.init(jt.zeros([1]));
    const bad = jt.array([Number.POSITIVE_INFINITY]);
    let u: jt.Array;
    [u, state] = opt.update(bad, state);
    expect(vals(u)).toEqual([0]);
    [u, state] = opt.update(bad, state);
    expect(vals(u)).toEqual([Number.NEGATIVE_INFINITY]);
    expect(state.totalNotFinite.item()).toBe(2);
  });
});

describe('injectHyperparams', () => {
  it('stores hyperparameters in the state and lets them change mid-training', () => {
    const opt = optim.injectHyperparams(optim.sgd)({ learningRate: 0.1, momentum: 0 });
    const p = jt.zeros([1]);
    let state = opt.init(p);
    expect(state.hyperparams.learningRate!.item()).toBeCloseTo(0.1, 7);
    expect(state.hyperparams.momentum!.item()).toBe(0);
    let u: jt.Array;
    [u, state] = opt.update(jt.array([1]), state, p);
    expect(vals(u)[0]).toBeCloseTo(-0.1, 6);
    state = { ...state, hyperparams: { ...state.hyperparams, learningRate: jt.scalar(0.01) } };
    [u, state] = opt.update(jt.array([1]), state, p);
    expect(vals(u)[0]).toBeCloseTo(-0.01, 6);
    expect(state.count.item()).toBe(2);
    expect(jt.tree.leaves(state).every((l) => l instanceof jt.Array)).toBe(true);
  });

  it('matches the plain optimizer while nothing changes', () => {
    const lr = 0.125; // exact in float32
    const inj = optim.injectHyperparams(optim.adam)({ learningRate: lr, b1: 0.5 });
    const ref = optim.adam({ learningRate: lr, b1: 0.5 });
    let si = inj.init(jt.zeros([2]));
    let sr = ref.init(jt.zeros([2]));
    for (const g of [
      [1, 2],
      [-1, 0.5],
      [3, 3],
    ]) {
      const [ui, a] = inj.update(jt.array(g), si);
      const [ur, b] = ref.update(jt.array(g), sr);
      vals(ui).forEach((v, i) => {
        expect(v).toBeCloseTo(vals(ur)[i]!, 6);
      });
      si = a;
      sr = b;
    }
  });

  it('evaluates schedule hyperparameters at the count and records the value used', () => {
    const opt = optim.injectHyperparams(optim.sgd)({ learningRate: (s: number) => 1 / (s + 1) });
    let state = opt.init(jt.zeros([1]));
    let u: jt.Array;
    [u, state] = opt.update(jt.array([1]), state);
    expect(vals(u)[0]).toBeCloseTo(-1, 6);
    [u, state] = opt.update(jt.array([1]), state);
    expect(vals(u)[0]).toBeCloseTo(-0.5, 6);
    expect(state.hyperparams.learningRate!.item()).toBeCloseTo(0.5, 6);
  });

  it('validates hyperparameters set in the state', () => {
    const opt = optim.injectHyperparams(optim.adam)({ learningRate: 0.1 });
    const state = opt.init(jt.zeros([1]));
    const bad = { ...state, hyperparams: { ...state.hyperparams, learningRate: jt.scalar(-1) } };
    expect(() => opt.update(jt.array([1]), bad)).toThrow(jt.ValueError);
    expect(() => optim.injectHyperparams(optim.adam)({ learningRate: 0.1, b1: 1 })).toThrow(
      jt.ValueError,
    );
  });
});
