import { checkFinite, checkNonNegative } from '../internal/check';
import * as n from '../internal/num';
import { makeSchedule, type Schedule } from './schedule';

/** Options of `polynomialSchedule`. */
export interface PolynomialScheduleOptions {
  initValue: number;
  endValue: number;
  /** Exponent of the transition (1 is linear). */
  power: number;
  /** Steps the transition takes; 0 holds `initValue` forever (as Optax does). */
  transitionSteps: number;
  /** Steps to hold `initValue` before the transition starts (default 0). */
  transitionBegin?: number;
}

/**
 * `(init - end) * (1 - t/T)^power + end` for `t = clip(step - begin, 0, T)`.
 * @example optim.polynomialSchedule({ initValue: 1, endValue: 0, power: 2, transitionSteps: 10 })(5); // 0.25
 */
export function polynomialSchedule(options: PolynomialScheduleOptions): Schedule {
  const op = 'polynomialSchedule';
  const init = checkFinite(op, 'initValue', options.initValue);
  const end = checkFinite(op, 'endValue', options.endValue);
  const power = checkFinite(op, 'power', options.power);
  const steps = checkNonNegative(op, 'transitionSteps', options.transitionSteps);
  const begin = checkNonNegative(op, 'transitionBegin', options.transitionBegin ?? 0);
  if (steps === 0) return makeSchedule(() => init);
  return makeSchedule((step) => {
    const t = n.clip(n.sub(step, begin), 0, steps);
    const frac = n.sub(1, n.div(t, steps));
    return n.add(n.mul(init - end, power === 1 ? frac : n.pow(frac, power)), end);
  });
}
