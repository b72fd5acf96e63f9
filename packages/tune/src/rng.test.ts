import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { rngFromKey } from './rng';

describe('rngFromKey', () => {
  it('is reproducible per key and differs between keys', () => {
    const draw = (seed: number) => {
      const r = rngFromKey(jt.random.key(seed));
      return Array.from({ length: 300 }, r.next);
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('draws uniform numbers in [0, 1): mean ½, variance 1/12, no repeats', () => {
    const r = rngFromKey(jt.random.key(0));
    const n = 20_000; // several refills of the word block
    const xs = Array.from({ length: n }, r.next);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    // Standard errors: 0.29/√n ≈ 0.002 for the mean, ≈ 0.0006 for the variance.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.003);
    expect(new Set(xs).size).toBe(n);
  });
});
