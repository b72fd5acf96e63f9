import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';

/** The descending learning-rate step every alias ends with, with the alias's name in errors. */
export function descend(
  op: string,
  learningRate: ScalarOrSchedule | undefined,
): GradientTransformation {
  if (learningRate === undefined) throw new jt.ValueError(`${op}: learningRate is required`);
  if (typeof learningRate === 'number' && !(learningRate >= 0 && Number.isFinite(learningRate))) {
    throw new jt.ValueError(
      `${op}: learningRate must be a finite number >= 0, got ${learningRate}`,
    );
  }
  return scaleByLearningRate(learningRate);
}
