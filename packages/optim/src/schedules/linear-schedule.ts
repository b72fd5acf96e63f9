import { polynomialSchedule } from './polynomial-schedule';
import type { Schedule } from './schedule';

/** Options of `linearSchedule`. */
export interface LinearScheduleOptions {
  initValue: number;
  endValue: number;
  /** Steps the transition takes; 0 holds `initValue` forever (as Optax does). */
  transitionSteps: number;
  /** Steps to hold `initValue` before the transition starts (default 0). */
  transitionBegin?: number;
}

/**
 * Linear interpolation from `initValue` to `endValue` over `transitionSteps`, then constant.
 * @example
 * const warmup = optim.linearSchedule({ initValue: 0, endValue: 1e-3, transitionSteps: 100 });
 * warmup(50); // 5e-4
 */
export function linearSchedule(options: LinearScheduleOptions): Schedule {
  return polynomialSchedule({ ...options, power: 1 });
}
