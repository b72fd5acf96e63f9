import * as jt from '@jute/tensor';
import { checkFinite, checkNonNegative, checkPositive } from '../internal/check';
import * as n from '../internal/num';
import { makeSchedule, type Schedule } from './schedule';

/** Options of `exponentialDecay`. */
export interface ExponentialDecayOptions {
  initValue: number;
  /** Steps over which the value is multiplied by `decayRate` once. */
  transitionSteps: number;
  decayRate: number;
  /** Steps to hold `initValue` before decaying (default 0). */
  transitionBegin?: number;
  /** Decay in whole multiples of `transitionSteps` (default false). */
  staircase?: boolean;
  /** A floor (when `decayRate < 1`) or ceiling (when `> 1`) on the value. */
  endValue?: number;
}

/**
 * `initValue * decayRate ^ ((step - transitionBegin) / transitionSteps)`, optionally
 * stepwise and bounded by `endValue`.
 * @example
 * const s = optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5 });
 * s(20); // 0.25
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const op = 'exponentialDecay';
  const init = checkFinite(op, 'initValue', options.initValue);
  const steps = checkPositive(op, 'transitionSteps', options.transitionSteps);
  const rate = checkNonNegative(op, 'decayRate', options.decayRate);
  const begin = checkNonNegative(op, 'transitionBegin', options.transitionBegin ?? 0);
  const end =
    options.endValue === undefined ? undefined : checkFinite(op, 'endValue', options.endValue);
  if (rate === 0) throw new jt.ValueError(`${op}: decayRate must not be 0`);
  const staircase = options.staircase ?? false;
  return makeSchedule((step) => {
    const count = n.sub(step, begin);
    let p = n.div(count, steps);
    if (staircase) p = n.floor(p);
    let v = n.where(n.lessEqual(count, 0), init, n.mul(init, n.pow(rate, p)));
    if (end !== undefined) v = rate < 1 ? n.maximum(v, end) : n.minimum(v, end);
    return v;
  });
}
