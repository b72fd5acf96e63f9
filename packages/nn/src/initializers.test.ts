import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, num } from '../test/helpers';
import * as nn from './index';

const key = jt.random.key(42);
const stats = (x: jt.Array) => [num(jt.mean(x)), num(jt.var(x))] as const;

describe('initializers', () => {
  it('computes fans from dense and conv layouts', () => {
    expect(nn.fans([100, 50])).toEqual([100, 50]);
    expect(nn.fans([3, 3, 4, 8])).toEqual([36, 72]);
  });
  it('have the variances of their definitions', () => {
    const shape = [200, 300];
    const cases: [nn.Initializer, number][] = [
      [nn.glorotUniform, 2 / 500],
      [nn.glorotNormal, 2 / 500],
      [nn.heUniform, 2 / 200],
      [nn.heNormal, 2 / 200],
      [nn.lecunUniform, 1 / 200],
      [nn.lecunNormal, 1 / 200],
      [nn.normal(0.5), 0.25],
      [nn.uniform(0.1), 0.01 / 3],
    ];
    for (const [init, variance] of cases) {
      const w = init(key, shape);
      expect(w.shape).toEqual(shape);
      expect(w.dtype).toBe('float32');
      const [m, v] = stats(w);
      expect(Math.abs(m)).toBeLessThan(4 * Math.sqrt(variance / 60000));
      expect(v / variance).toBeGreaterThan(0.97);
      expect(v / variance).toBeLessThan(1.03);
    }
  });
  it('truncates normals at two standard deviations', () => {
    const w = nn.truncatedNormal(0.1)(key, [10000]);
    expect(num(jt.max(jt.abs(w)))).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(Math.abs(stats(w)[1] / (0.01 * 0.8796256610342398 ** 2) - 1)).toBeLessThan(0.05);
    const he = nn.heNormal(key, [1000, 10]);
    expect(num(jt.max(jt.abs(he)))).toBeLessThanOrEqual(
      (2 * Math.sqrt(2 / 1000)) / 0.8796256610342398 + 1e-6,
    );
  });
  it('has constant initializers', () => {
    expectClose(nn.zeros(key, [2]), [0, 0]);
    expectClose(nn.ones(key, [2]), [1, 1]);
    expectClose(nn.constant(0.5)(key, [1, 2]), [[0.5, 0.5]]);
    expect(nn.zeros(key, [2], 'float64').dtype).toBe('float64');
  });
  it('makes orthogonal matrices', () => {
    const sq = nn.orthogonal()(key, [16, 16], 'float64');
    expectClose(jt.matmul(sq, jt.transpose(sq)), jt.eye(16, 16, { dtype: 'float64' }), 1e-10);
    const wide = nn.orthogonal(2)(key, [4, 12], 'float64');
    expectClose(
      jt.matmul(wide, jt.transpose(wide)),
      jt.mul(jt.eye(4, 4, { dtype: 'float64' }), 4),
      1e-10,
    );
    const tall = nn.orthogonal()(key, [12, 4]);
    expectClose(jt.matmul(jt.transpose(tall), tall), jt.eye(4), 1e-5);
    expect(() => nn.orthogonal()(key, [4])).toThrow(jt.ShapeError);
  });
  it('is deterministic in the key', () => {
    expectClose(
      nn.lecunNormal(jt.random.key(1), [3, 3]),
      nn.lecunNormal(jt.random.key(1), [3, 3]),
      0,
    );
  });
});
