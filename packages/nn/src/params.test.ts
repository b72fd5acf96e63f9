import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f64, num } from '../test/helpers';
import * as nn from './index';

describe('parameter utilities', () => {
  const model = nn.sequential(nn.dense({ features: 128 }), nn.relu, nn.dense({ features: 10 }));
  const { params } = model.init(jt.random.key(0), [1, 784]);
  it('countParams sums leaf sizes', () => {
    expect(nn.countParams(params)).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(nn.countParams({})).toBe(0);
  });
  it('partition by mask and by predicate, and combine', () => {
    const [train, frozen] = nn.partition(params, { dense_0: false, dense_2: true });
    expect(nn.countParams(train)).toBe(1290);
    expect(nn.countParams(frozen)).toBe(784 * 128 + 128);
    expect((train as Record<string, unknown>).dense_0).toEqual({ bias: null, kernel: null });
    const back = nn.combine(train, frozen);
    expect(jt.tree.equalStructure(back, params)).toBe(true);
    jt.tree.leaves(back).forEach((l, i) => {
      expect(l).toBe(jt.tree.leaves(params)[i]);
    });
    const [biases, rest] = nn.partition(params, (path) => path.endsWith('.bias'));
    expect(nn.countParams(biases)).toBe(138);
    expect(nn.countParams(rest)).toBe(784 * 128 + 1280);
    expect(() => nn.partition(params, { dense_0: true })).toThrow(/no entry for 'dense_2'/);
  });
  it('freezes layers: gradients only for the selected part', () => {
    const x = jt.random.normal(jt.random.key(1), [2, 784]);
    const [train, frozen] = nn.partition(params, { dense_0: false, dense_2: true });
    const g = grad((t: typeof train) =>
      jt.mean(jt.square(model.apply(nn.combine(t, frozen), x).y)),
    )(train);
    expect(nn.countParams(g)).toBe(1290);
  });
  it('treeL2Norm is the global norm', () => {
    expectClose(nn.treeL2Norm({ a: f64([3]), b: [f64([[4]])] }), 5);
    expect(num(nn.treeL2Norm({}))).toBe(0);
  });
});
