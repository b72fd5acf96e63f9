import * as jt from '@jute/tensor';
import { checkFinite, checkNonNegative } from '../internal/check';
import { cosineDecaySchedule } from './cosine-decay-schedule';
import { joinSchedules } from './join-schedules';
import { linearSchedule } from './linear-schedule';
import type { Schedule } from './schedule';

/** Options of `warmupCosineDecaySchedule`. */
export interface WarmupCosineDecayScheduleOptions {
  initValue: number;
  peakValue: number;
  /** Length of the linear warmup from `initValue` to `peakValue`. */
  warmupSteps: number;
  /** Total length, warmup included: the cosine runs for `decaySteps - warmupSteps`. */
  decaySteps: number;
  /** Value at the end (default 0). */
  endValue?: number;
  /** Exponent of the cosine factor (default 1). */
  exponent?: number;
}

/**
 * Linear warmup to `peakValue`, then cosine decay to `endValue` at step `decaySteps`.
 * @example
 * const s = optim.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 110 });
 * s(5); // 0.5
 * s(60); // 0.5
 */
export function warmupCosineDecaySchedule(options: WarmupCosineDecayScheduleOptions): Schedule {
  const op = 'warmupCosineDecaySchedule';
  const init = checkFinite(op, 'initValue', options.initValue);
  const peak = checkFinite(op, 'peakValue', options.peakValue);
  const warmup = checkNonNegative(op, 'warmupSteps', options.warmupSteps);
  const decay = checkFinite(op, 'decaySteps', options.decaySteps);
  const end = checkFinite(op, 'endValue', options.endValue ?? 0);
  if (decay <= warmup)
    throw new jt.ValueError(`${op}: decaySteps (${decay}) must exceed warmupSteps (${warmup})`);
  return joinSchedules(
    [
      linearSchedule({ initValue: init, endValue: peak, transitionSteps: warmup }),
      cosineDecaySchedule({
        initValue: peak,
        decaySteps: decay - warmup,
        alpha: peak === 0 ? 0 : end / peak,
        exponent: options.exponent ?? 1,
      }),
    ],
    [warmup],
  );
}
