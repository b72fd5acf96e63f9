import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as optim from '../index';

const vals = (x: jt.Array): number[] => [...x.data()];

describe('basic transformations', () => {
  it('globalNorm is the L2 norm of all leaves together', () => {
    expect(optim.globalNorm({ a: jt.array([3]), b: [jt.array([[4]])] }).item()).toBeCloseTo(5, 6);
    expect(optim.globalNorm({}).item()).toBe(0);
  });

  it('clipByGlobalNorm rescales only when the norm exceeds the bound', () => {
    const g = { a: jt.array([3, 0]), b: jt.array([4]) };
    const clip = optim.clipByGlobalNorm(1);
    const [u] = clip.update(g, clip.init(g));
    expect(vals(u.a)[0]).toBeCloseTo(0.6, 6);
    expect(vals(u.b)[0]).toBeCloseTo(0.8, 6);
    expect(optim.globalNorm(u).item()).toBeCloseTo(1, 6);
    const loose = optim.clipByGlobalNorm(10);
    const [same] = loose.update(g, loose.init(g));
    expect(vals(same.a)).toEqual([3, 0]);
  });

  it('clip bounds each element', () => {
    const c = optim.clip(0.5);
    const [u] = c.update(jt.array([-2, 0.1, 3]), c.init(null));
    expect(vals(u)).toEqual([-0.5, expect.closeTo(0.1, 6), 0.5]);
  });

  it('scale and scaleByLearningRate (negated, optionally not)', () => {
    const g = jt.array([1, -2]);
    const s = optim.scale(3);
    expect(vals(s.update(g, s.init(g))[0])).toEqual([3, -6]);
    const lr = optim.scaleByLearningRate(0.5);
    expect(vals(lr.update(g, lr.init(g))[0])).toEqual([-0.5, 1]);
    const up = optim.scaleByLearningRate(0.5, { flipSign: false });
    expect(vals(up.update(g, up.init(g))[0])).toEqual([0.5, -1]);
  });

  it('scaleBySchedule counts updates in an int32 scalar', () => {
    const t = optim.scaleBySchedule((step: number) => step + 1);
    let state = t.init(null);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [u, s] = t.update(jt.array([2]), state);
      seen.push(vals(u)[0]!);
      state = s;
    }
    expect(seen).toEqual([2, 4, 6]);
    expect(state.count.dtype).toBe('int32');
    expect(state.count.item()).toBe(3);
  });

  it('trace with and without Nesterov', () => {
    const plain = optim.trace({ decay: 0.5 });
    let s = plain.init(jt.zeros([1]));
    let u: jt.Array;
    [u, s] = plain.update(jt.array([1]), s);
    [u, s] = plain.update(jt.array([1]), s);
    expect(vals(u)[0]).toBeCloseTo(1.5, 6);
    const nest = optim.scaleByMomentum({ decay: 0.5, nesterov: true });
    const [n1] = nest.update(jt.array([1]), nest.init(jt.zeros([1])));
    expect(vals(n1)[0]).toBeCloseTo(1.5, 6);
  });

  it('addDecayedWeights with a function mask', () => {
    const params = { kernel: jt.ones([2, 2]), bias: jt.ones([2]) };
    const t = optim.addDecayedWeights(0.1, {
      mask: (p: typeof params) => jt.tree.map((x: jt.Array) => x.ndim > 1, p),
    });
    const grads = { kernel: jt.zeros([2, 2]), bias: jt.zeros([2]) };
    const [u] = t.update(grads, t.init(params), params);
    expect(vals(u.kernel)).toEqual([0.1, 0.1, 0.1, 0.1].map((v) => expect.closeTo(v, 6)));
    expect(vals(u.bias)).toEqual([0, 0]);
  });

  it('scaleByTrustRatio leaves zero-norm leaves alone', () => {
    const t = optim.scaleByTrustRatio();
    const params = { a: jt.array([3, 4]), z: jt.zeros([2]) };
    const [u] = t.update({ a: jt.array([0.6, 0.8]), z: jt.array([1, 1]) }, t.init(params), params);
    expect(vals(u.a)).toEqual([expect.closeTo(3, 5), expect.closeTo(4, 5)]);
    expect(vals(u.z)).toEqual([1, 1]);
  });

  it('chain keeps one state per transformation', () => {
    const opt = optim.chain(
      optim.clipByGlobalNorm(1),
      optim.scaleByAdam(),
      optim.scaleByLearningRate(0.1),
    );
    const state = opt.init(jt.zeros([2]));
    expect(Array.isArray(state)).toBe(true);
    expect(state).toHaveLength(3);
    expect(state[1].count.dtype).toBe('int32');
  });

  it('identity and setToZero', () => {
    const g = jt.array([1, 2]);
    const id = optim.identity();
    expect(id.update(g, id.init(g))[0]).toBe(g);
    const z = optim.setToZero();
    expect(vals(z.update(g, z.init(g))[0])).toEqual([0, 0]);
  });
});
