import type { GradientTransformation } from '../gradient-transformation';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { chain } from '../transforms/chain';
import { scaleByAdagrad } from '../transforms/scale-by-adagrad';
import { descend } from './learning-rate';

/** Options of `adagrad`. */
export interface AdagradOptions {
  learningRate: ScalarOrSchedule;
  /** Starting value of the sum of squares (default 0.1). */
  initialAccumulatorValue?: number;
  /** Stabilizer (default 1e-7). */
  eps?: number;
}

/**
 * Adagrad: per-coordinate steps `lr * g / sqrt(Σ g² + eps)`.
 * @example const opt = optim.adagrad({ learningRate: 0.1 });
 */
export function adagrad(options: AdagradOptions): GradientTransformation {
  const lr = descend('adagrad', options?.learningRate);
  return chain(
    scaleByAdagrad({
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0.1,
      eps: options.eps ?? 1e-7,
    }),
    lr,
  );
}
