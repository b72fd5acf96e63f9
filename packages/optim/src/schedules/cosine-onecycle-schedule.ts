import { checkFinite, checkPositive, checkUnit } from '../internal/check';
import { piecewiseInterpolateSchedule } from './piecewise-interpolate-schedule';
import type { Schedule } from './schedule';

/** Options of `cosineOnecycleSchedule`. */
export interface CosineOnecycleScheduleOptions {
  /** Length of the whole cycle. */
  transitionSteps: number;
  peakValue: number;
  /** Fraction of the cycle spent rising to the peak (default 0.3). */
  pctStart?: number;
  /** The cycle starts at `peakValue / divFactor` (default 25). */
  divFactor?: number;
  /** It ends at `peakValue / (divFactor * finalDivFactor)` (default 1e4). */
  finalDivFactor?: number;
}

/**
 * The one-cycle policy: half-cosine rise from `peak / divFactor` to `peak` over the
 * first `pctStart` of the cycle, then half-cosine fall to `peak / (divFactor * finalDivFactor)`.
 * @example
 * const s = optim.cosineOnecycleSchedule({ transitionSteps: 100, peakValue: 1 });
 * s(30); // 1
 */
export function cosineOnecycleSchedule(options: CosineOnecycleScheduleOptions): Schedule {
  const op = 'cosineOnecycleSchedule';
  const steps = checkPositive(op, 'transitionSteps', options.transitionSteps);
  const peak = checkFinite(op, 'peakValue', options.peakValue);
  const pct = checkUnit(op, 'pctStart', options.pctStart ?? 0.3, true);
  const div = checkPositive(op, 'divFactor', options.divFactor ?? 25);
  const finalDiv = checkPositive(op, 'finalDivFactor', options.finalDivFactor ?? 1e4);
  return piecewiseInterpolateSchedule({
    interpolateType: 'cosine',
    initValue: peak / div,
    boundariesAndScales: [
      [Math.floor(pct * steps), div],
      [Math.floor(steps), 1 / (div * finalDiv)],
    ],
  });
}
