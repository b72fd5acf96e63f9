import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalMass, truncatedStandardNormal } from './normal';
import { parzen, parzenLogMass, parzenLogPdf, sampleParzen } from './parzen';
import { rngFromKey } from './rng';

describe('the normal helpers', () => {
  it('erfc matches tabulated values, with relative accuracy in the tail', () => {
    // Abramowitz & Stegun, table 7.1, and erfc(5) = 1.5374597944280e-12.
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [-1, 1.8427007929497148],
    ];
    for (const [x, want] of table) expect(Math.abs(erfc(x) / want - 1)).toBeLessThan(2e-7);
  });

  it('normalMass keeps its digits when both ends lie far in the upper tail', () => {
    // Φ(9) − Φ(8) = Q(8) − Q(9) ≈ 6.2210e-16 − 1.1286e-19; the naïve difference is 0 or noise.
    expect(normalMass(8, 9) / (6.22096057427178e-16 - 1.1285884059538324e-19) - 1).toBeCloseTo(
      0,
      5,
    );
    expect(normalMass(-1, 1)).toBeCloseTo(0.6826894921370859, 6);
  });

  it('truncated draws stay in the interval and have the truncated mean', () => {
    const rng = rngFromKey(jt.random.key(1));
    for (const [a, b] of [
      [-1, 2],
      [3, 5],
      [-6, -4],
    ] as const) {
      const zs = Array.from({ length: 4000 }, () => truncatedStandardNormal(a, b, rng.next()));
      expect(Math.min(...zs)).toBeGreaterThanOrEqual(a);
      expect(Math.max(...zs)).toBeLessThanOrEqual(b);
      // E[Z | a ≤ Z ≤ b] = (φ(a) − φ(b)) / (Φ(b) − Φ(a)).
      const phi = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
      const want = (phi(a) - phi(b)) / normalMass(a, b);
      const mean = zs.reduce((s, z) => s + z, 0) / zs.length;
      expect(Math.abs(mean - want)).toBeLessThan(0.03);
    }
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
});

describe('parzen', () => {
  it('gives each kernel the larger gap to its neighbours, clipped, and a wide prior', () => {
    // Observations 1, 2, 6 on [0, 10]; the prior sits at 5 with σ = 10. Sorted centres
    // 1, 2, 5, 6: gaps 1 (to lo), 1, 3, 1, 4 (to hi). Minimum σ = 10 / min(100, 4) = 2.5.
    const pz = parzen([1, 2, 6], 0, 10, 1);
    expect(pz.mus).toEqual([1, 2, 5, 6]);
    expect(pz.sigmas).toEqual([2.5, 3, 10, 4]);
    expect(pz.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
    // A heavier prior weighs more.
    expect(parzen([1], 0, 10, 3).weights).toEqual([0.25, 0.75]);
  });

  it('is a density on the interval: integrates to 1, and bin masses sum to 1', () => {
    const pz = parzen([0.2, 0.25, 0.9], 0, 1, 1);
    const n = 20_000;
    let integral = 0;
    for (let i = 0; i < n; i++) integral += Math.exp(parzenLogPdf(pz, (i + 0.5) / n)) / n;
    expect(integral).toBeCloseTo(1, 4);
    const edges = [0, 0.1, 0.3, 0.55, 1];
    const masses = edges.slice(1).map((b, i) => Math.exp(parzenLogMass(pz, edges[i]!, b)));
    expect(masses.reduce((s, m) => s + m, 0)).toBeCloseTo(1, 6);
  });

  it('samples follow the density (bin frequencies match bin masses)', () => {
    const pz = parzen([2, 2.5, 8], 0, 10, 1);
    const rng = rngFromKey(jt.random.key(2));
    const n = 20_000;
    const xs = Array.from({ length: n }, () => sampleParzen(pz, rng));
    for (const [a, b] of [
      [0, 2],
      [2, 3],
      [3, 7],
      [7, 10],
    ] as const) {
      const freq = xs.filter((x) => x >= a && x < b).length / n;
      const mass = Math.exp(parzenLogMass(pz, a, b));
      expect(Math.abs(freq - mass)).toBeLessThan(0.015);
    }
  });
});
