import { vmap } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as optim from '../index';

const close = (a: number, b: number, tol = 1e-6) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('schedules', () => {
  it('constantSchedule', () => {
    const s = optim.constantSchedule(0.3);
    expect(s(0)).toBe(0.3);
    expect(s(1e6)).toBe(0.3);
    expect(s(jt.scalar(7, 'int32')).item()).toBeCloseTo(0.3, 6);
  });

  it('linearSchedule holds, interpolates, then holds', () => {
    const s = optim.linearSchedule({
      initValue: 1,
      endValue: 0.01,
      transitionSteps: 100,
      transitionBegin: 5,
    });
    expect(s(0)).toBe(1);
    expect(s(5)).toBe(1);
    close(s(6), 1 - 0.99 / 100);
    close(s(55), 0.505);
    close(s(105), 0.01);
    close(s(1000), 0.01);
    const w = optim.linearSchedule({ initValue: 0, endValue: 1e-3, transitionSteps: 100 });
    close(w(50), 5e-4);
    // transitionSteps 0 holds initValue (as Optax does).
    expect(optim.linearSchedule({ initValue: 2, endValue: 0, transitionSteps: 0 })(10)).toBe(2);
  });

  it('polynomialSchedule', () => {
    const s = optim.polynomialSchedule({
      initValue: 1,
      endValue: 0,
      power: 2,
      transitionSteps: 10,
    });
    close(s(5), 0.25);
    close(s(10), 0);
  });

  it('exponentialDecay: continuous, staircase, begin, endValue', () => {
    const s = optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5 });
    close(s(0), 1);
    close(s(5), Math.SQRT1_2);
    close(s(20), 0.25);
    const st = optim.exponentialDecay({
      initValue: 1,
      transitionSteps: 10,
      decayRate: 0.5,
      staircase: true,
    });
    close(st(9), 1);
    close(st(10), 0.5);
    close(st(29), 0.25);
    const b = optim.exponentialDecay({
      initValue: 2,
      transitionSteps: 10,
      decayRate: 0.5,
      transitionBegin: 100,
    });
    close(b(50), 2);
    close(b(110), 1);
    const e = optim.exponentialDecay({
      initValue: 1,
      transitionSteps: 1,
      decayRate: 0.5,
      endValue: 0.1,
    });
    close(e(2), 0.25);
    close(e(10), 0.1);
    const up = optim.exponentialDecay({
      initValue: 1,
      transitionSteps: 1,
      decayRate: 2,
      endValue: 5,
    });
    close(up(2), 4);
    close(up(3), 5);
  });

  it('piecewiseConstantSchedule scales from each boundary on', () => {
    const s = optim.piecewiseConstantSchedule({
      initValue: 1,
      boundariesAndScales: { 100: 0.1, 200: 0.01 },
    });
    close(s(50), 1);
    close(s(99), 1);
    close(s(100), 0.1);
    close(s(150), 0.1);
    close(s(250), 0.001);
    const pairs = optim.piecewiseConstantSchedule({
      initValue: 2,
      boundariesAndScales: [[10, 0.5]],
    });
    close(pairs(10), 1);
  });

  it('cosineDecaySchedule', () => {
    const s = optim.cosineDecaySchedule({ initValue: 1, decaySteps: 100 });
    close(s(0), 1);
    close(s(50), 0.5);
    close(s(25), 0.5 * (1 + Math.cos(Math.PI / 4)));
    close(s(100), 0);
    close(s(200), 0);
    const a = optim.cosineDecaySchedule({ initValue: 2, decaySteps: 100, alpha: 0.1 });
    close(a(50), 2 * (0.9 * 0.5 + 0.1));
    close(a(300), 0.2);
    const p = optim.cosineDecaySchedule({ initValue: 1, decaySteps: 100, exponent: 2 });
    close(p(50), 0.25);
  });

  it('warmupCosineDecaySchedule', () => {
    const s = optim.warmupCosineDecaySchedule({
      initValue: 0,
      peakValue: 1,
      warmupSteps: 10,
      decaySteps: 110,
      endValue: 0.1,
    });
    close(s(0), 0);
    close(s(5), 0.5);
    close(s(10), 1);
    // Halfway through the 100 cosine steps: alpha = 0.1, factor 0.5.
    close(s(60), 0.9 * 0.5 + 0.1);
    close(s(110), 0.1);
    close(s(500), 0.1);
  });

  it('cosineOnecycleSchedule rises to the peak, then falls to peak / (div * finalDiv)', () => {
    const s = optim.cosineOnecycleSchedule({ transitionSteps: 100, peakValue: 1 });
    close(s(0), 1 / 25);
    close(s(15), 1 + (1 / 25 - 1) / 2); // halfway up: cosine midpoint
    close(s(30), 1);
    close(s(65), (1 + 1 / 25 / 1e4) / 2); // halfway down
    close(s(100), 1 / 25 / 1e4);
    close(s(1000), 1 / 25 / 1e4);
  });

  it('piecewiseInterpolateSchedule (linear) matches Optax example values', () => {
    const s = optim.piecewiseInterpolateSchedule({
      interpolateType: 'linear',
      initValue: 1,
      boundariesAndScales: { 4: 0.1, 8: 0.01 },
    });
    const want = [1, 0.55, 0.1, 0.0505, 0.001, 0.001];
    [0, 2, 4, 6, 8, 10].forEach((step, i) => {
      close(s(step), want[i]!);
    });
  });

  it('joinSchedules', () => {
    const s = optim.joinSchedules([optim.constantSchedule(1), (step: number) => 2 + step], [10]);
    expect(s(9)).toBe(1);
    expect(s(12)).toBe(4);
  });

  it('take step arrays (and work under vmap) with the same values as numbers', () => {
    const schedules = [
      optim.linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 10 }),
      optim.exponentialDecay({ initValue: 1, transitionSteps: 3, decayRate: 0.5, staircase: true }),
      optim.piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: { 3: 0.5, 6: 0.5 } }),
      optim.warmupCosineDecaySchedule({
        initValue: 0,
        peakValue: 1,
        warmupSteps: 3,
        decaySteps: 10,
      }),
      optim.cosineOnecycleSchedule({ transitionSteps: 10, peakValue: 1 }),
    ];
    const steps = jt.arange(0, 12, 1, { dtype: 'int32' });
    for (const s of schedules) {
      const want = Array.from({ length: 12 }, (_, i) => s(i));
      const got = s(steps).data();
      const mapped = (vmap((t: jt.Array) => s(t)) as (t: jt.Array) => jt.Array)(steps).data();
      want.forEach((w, i) => {
        close(got[i]!, w, 1e-5);
        close(mapped[i]!, w, 1e-5);
      });
      const one = s(jt.scalar(4, 'int32'));
      expect(one.shape).toEqual([]);
      expect(one.dtype).toBe('float32');
    }
  });

  it('reject invalid options with ValueError', () => {
    expect(() => optim.cosineDecaySchedule({ initValue: 1, decaySteps: 0 })).toThrow(jt.ValueError);
    expect(() =>
      optim.exponentialDecay({ initValue: 1, transitionSteps: 0, decayRate: 0.5 }),
    ).toThrow(jt.ValueError);
    expect(() =>
      optim.piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: { 10: -1 } }),
    ).toThrow(/non-negative/);
    expect(() =>
      optim.warmupCosineDecaySchedule({
        initValue: 0,
        peakValue: 1,
        warmupSteps: 10,
        decaySteps: 5,
      }),
    ).toThrow(jt.ValueError);
    expect(() => optim.constantSchedule(Number.NaN)).toThrow(jt.ValueError);
  });
});
