import { describe, expect, it } from 'vitest';
import * as jt from '../index';
import { erf } from './erf';

describe('erf', () => {
  // Reference values to 16 digits (e.g. from mpmath).
  const known: [number, number][] = [
    [0, 0],
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [2.9, 0.9999589021219005],
    [3, 0.9999779095030014],
    [3.5, 0.9999992569016276],
    [5, 0.9999999999984626],
  ];

  it('matches known values to double precision', () => {
    for (const [x, want] of known) {
      expect(Math.abs(erf(x) - want)).toBeLessThanOrEqual(2e-16 + 1e-15 * Math.abs(want));
      expect(Math.abs(erf(-x) + want)).toBeLessThanOrEqual(2e-16 + 1e-15 * Math.abs(want));
    }
  });

  it('saturates, keeps NaN and is monotone across the series/continued-fraction seam', () => {
    expect(erf(7)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(Number.NaN)).toBeNaN();
    let prev = erf(2.99);
    for (let x = 2.991; x < 3.01; x += 0.001) {
      const v = erf(x);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it('jt.erf uses it elementwise', () => {
    const out = jt.erf(jt.array([0.5, 1, 3.5], { dtype: 'float64' })).data();
    expect(out[0]).toBeCloseTo(0.5204998778130465, 15);
    expect(out[1]).toBeCloseTo(0.8427007929497149, 15);
    expect(out[2]).toBeCloseTo(0.9999992569016276, 15);
  });
});
