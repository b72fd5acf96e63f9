import { describe, expect, it } from 'vitest';
import * as jt from './index';

const { random } = jt;
const k0 = random.key(0);
const stats = (a: jt.Array) => {
  const d = a.data();
  let s = 0;
  let s2 = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of d) {
    s += v;
    s2 += v * v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const mean = s / d.length;
  return { mean, var: s2 / d.length - mean * mean, lo, hi };
};
const words = (k: jt.Array) => Array.from(k.data(), (v) => v >>> 0);

describe('keys', () => {
  it('key(seed) is [hi, lo] of the seed, as jax.random.PRNGKey', () => {
    expect(k0.dtype).toBe('int32');
    expect(k0.toArray()).toEqual([0, 0]);
    expect(random.key(2 ** 40 + 5).toArray()).toEqual([256, 5]);
    expect(random.key(-1).toArray()).toEqual([-1, -1]);
    expect(() => random.key(0.5)).toThrow(jt.ValueError);
  });

  it('split(key(0)) matches JAX (Threefry-2x32 known answer)', () => {
    const [a, b] = random.split(k0);
    expect(words(a!)).toEqual([4146024105, 967050713]);
    expect(words(b!)).toEqual([2718843009, 1272950319]);
  });

  it('the same key gives the same numbers', () => {
    const k = random.key(123);
    expect(random.uniform(k, [50]).toArray()).toEqual(
      random.uniform(random.key(123), [50]).toArray(),
    );
    expect(random.normal(k, [3, 4]).toArray()).toEqual(random.normal(k, [3, 4]).toArray());
    expect(random.split(k, 4).map(words)).toEqual(random.split(k, 4).map(words));
    expect(words(random.foldIn(k, 7))).toEqual(words(random.foldIn(k, 7)));
  });

  it('split and foldIn give distinct keys and independent streams', () => {
    const keys = [k0, ...random.split(k0, 8), ...[0, 1, 2, 3].map((i) => random.foldIn(k0, i))];
    const ids = new Set(keys.map((k) => words(k).join(',')));
    expect(ids.size).toBe(keys.length);
    const [a, b] = random.split(random.key(7));
    const x = random.normal(a!, [20000], { dtype: 'float64' }).data();
    const y = random.normal(b!, [20000], { dtype: 'float64' }).data();
    let corr = 0;
    for (let i = 0; i < x.length; i++) corr += x[i]! * y[i]!;
    expect(Math.abs(corr / x.length)).toBeLessThan(0.03);
    const f = random.uniform(random.foldIn(random.key(7), 1), [1000]).data();
    const g = random.uniform(random.foldIn(random.key(7), 2), [1000]).data();
    expect(Array.from(f)).not.toEqual(Array.from(g));
  });

  it('rejects things that are not keys', () => {
    expect(() => random.uniform(jt.array([1, 2]), [2])).toThrow(
      'random.uniform: expected a key (int32[2] from jt.random.key), got float32[2]',
    );
    expect(() => random.split(k0, 0)).toThrow(jt.ValueError);
    expect(() => random.foldIn(k0, 0.5)).toThrow(jt.ValueError);
  });
});

describe('distributions', () => {
  it('uniform lies in [minval, maxval) with the right mean', () => {
    const u = random.uniform(random.key(1), [100000], { minval: -2, maxval: 3 });
    expect(u.dtype).toBe('float32');
    const s = stats(u);
    expect(s.lo).toBeGreaterThanOrEqual(-2);
    expect(s.hi).toBeLessThan(3);
    expect(s.mean).toBeCloseTo(0.5, 1);
    expect(s.var).toBeCloseTo(25 / 12, 1);
    expect(random.uniform(random.key(1), [2, 3], { dtype: 'float64' }).dtype).toBe('float64');
    expect(() => random.uniform(k0, [2], { dtype: 'int32' })).toThrow(jt.DTypeError);
  });

  it('normal has mean 0 and variance 1', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const s = stats(random.normal(random.key(2), [100000], { dtype }));
      expect(Math.abs(s.mean)).toBeLessThan(0.015);
      expect(Math.abs(s.var - 1)).toBeLessThan(0.02);
      expect(Number.isFinite(s.lo) && Number.isFinite(s.hi)).toBe(true);
    }
  });

  it('truncatedNormal stays within its bounds', () => {
    const s = stats(random.truncatedNormal(random.key(3), [50000], { lower: -1, upper: 2 }));
    expect(s.lo).toBeGreaterThanOrEqual(-1);
    expect(s.hi).toBeLessThanOrEqual(2);
    // Mean of N(0,1) truncated to [-1, 2]: (φ(-1) - φ(2)) / (Φ(2) - Φ(-1)) ≈ 0.2302.
    expect(s.mean).toBeCloseTo(0.2302, 1);
    const d = stats(random.truncatedNormal(random.key(4), [20000]));
    expect(d.lo).toBeGreaterThanOrEqual(-2);
    expect(d.hi).toBeLessThanOrEqual(2);
    expect(() => random.truncatedNormal(k0, [2], { lower: 1, upper: 1 })).toThrow(jt.ValueError);
  });

  it('bernoulli is true at rate p', () => {
    const b = random.bernoulli(random.key(5), 0.3, [100000]);
    expect(b.dtype).toBe('bool');
    expect(jt.mean(b).item()).toBeCloseTo(0.3, 2);
    expect(random.bernoulli(k0, jt.array([0, 1]), [2]).toArray()).toEqual([false, true]);
  });

  it('randint covers [minval, maxval) uniformly', () => {
    const r = random.randint(random.key(6), [70000], -3, 4);
    expect(r.dtype).toBe('int32');
    const counts = new Map<number, number>();
    for (const v of r.data()) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c / 70000 - 1 / 7)).toBeLessThan(0.01);
    expect(() => random.randint(k0, [2], 3, 3)).toThrow(jt.ValueError);
  });

  it('permutation is a permutation; of an array it shuffles rows', () => {
    for (let s = 0; s < 5; s++) {
      const p = random.permutation(random.key(s), 20);
      expect(p.dtype).toBe('int32');
      expect([...p.data()].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    }
    expect(random.permutation(random.key(0), 20).toArray()).not.toEqual([...Array(20).keys()]);
    const rows = random.permutation(random.key(9), jt.arange(10).reshape([5, 2]));
    const r = rows.toArray() as number[][];
    expect(r.map(([a, b]) => b! - a!)).toEqual([1, 1, 1, 1, 1]);
    expect(r.map(([a]) => a!).sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8]);
    expect(random.permutation(k0, 0).shape).toEqual([0]);
  });

  it('categorical samples in proportion to exp(logits)', () => {
    const logits = jt.log(jt.array([0.1, 0.2, 0.7]));
    const n = 30000;
    const s = random.categorical(random.key(8), jt.broadcastTo(logits, [n, 3]));
    expect(s.dtype).toBe('int32');
    expect(s.shape).toEqual([n]);
    const c = [0, 0, 0];
    for (const v of s.data()) c[v]!++;
    expect(c[0]! / n).toBeCloseTo(0.1, 1);
    expect(c[1]! / n).toBeCloseTo(0.2, 1);
    expect(c[2]! / n).toBeCloseTo(0.7, 1);
    expect(random.categorical(k0, jt.zeros([4, 5]), { axis: 0 }).shape).toEqual([5]);
    expect(random.categorical(k0, jt.array([0, -Infinity, -Infinity])).item()).toBe(0);
  });
});
