import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative } from '../internal/check';
import * as n from '../internal/num';
import { callSchedule, makeSchedule, type ScalarOrSchedule } from '../schedules/schedule';
import { scale } from './scale';
import { scaleBySchedule } from './scale-by-schedule';

/**
 * Scales updates by the learning rate, negated by default so that `applyUpdates`
 * descends. A schedule is evaluated at the update count (the state then holds it).
 * @example const opt = optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(1e-3));
 */
export function scaleByLearningRate(
  learningRate: ScalarOrSchedule,
  options: { flipSign?: boolean } = {},
): GradientTransformation {
  const sign = (options.flipSign ?? true) ? -1 : 1;
  if (typeof learningRate === 'function') {
    return scaleBySchedule(makeSchedule((step) => n.mul(sign, callSchedule(learningRate, step))));
  }
  if (typeof learningRate !== 'number') {
    throw new jt.ValueError(
      `scaleByLearningRate: learningRate must be a number or a schedule, got ${String(learningRate)}`,
    );
  }
  checkNonNegative('scaleByLearningRate', 'learningRate', learningRate);
  return scale(sign * learningRate);
}
