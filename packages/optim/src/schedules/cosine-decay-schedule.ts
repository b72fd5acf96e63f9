import { checkFinite, checkPositive } from '../internal/check';
import * as n from '../internal/num';
import { makeSchedule, type Schedule } from './schedule';

/** Options of `cosineDecaySchedule`. */
export interface CosineDecayScheduleOptions {
  initValue: number;
  /** Steps over which to decay (> 0); the value then stays at `alpha * initValue`. */
  decaySteps: number;
  /** The final value as a fraction of `initValue` (default 0). */
  alpha?: number;
  /** Raises the cosine factor to this power (default 1). */
  exponent?: number;
}

/**
 * `initValue * ((1 - alpha) * (0.5 * (1 + cos(pi * t / T)))^exponent + alpha)`, `t = min(step, T)`.
 * @example optim.cosineDecaySchedule({ initValue: 1, decaySteps: 100 })(50); // 0.5
 */
export function cosineDecaySchedule(options: CosineDecayScheduleOptions): Schedule {
  const op = 'cosineDecaySchedule';
  const init = checkFinite(op, 'initValue', options.initValue);
  const steps = checkPositive(op, 'decaySteps', options.decaySteps);
  const alpha = checkFinite(op, 'alpha', options.alpha ?? 0);
  const exponent = checkFinite(op, 'exponent', options.exponent ?? 1);
  return makeSchedule((step) => {
    const t = n.minimum(step, steps);
    const c = n.mul(0.5, n.add(1, n.cos(n.mul(Math.PI / steps, t))));
    const decayed = n.add(n.mul(1 - alpha, exponent === 1 ? c : n.pow(c, exponent)), alpha);
    return n.mul(init, decayed);
  });
}
