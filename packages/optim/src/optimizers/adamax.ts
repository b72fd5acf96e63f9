import type { GradientTransformation } from '../gradient-transformation';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { chain } from '../transforms/chain';
import { scaleByAdamax } from '../transforms/scale-by-adamax';
import { descend } from './learning-rate';

/** Options of `adamax`. */
export interface AdamaxOptions {
  learningRate: ScalarOrSchedule;
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the infinity norm (default 0.999). */
  b2?: number;
  /** Added to `|g|` (default 1e-8). */
  eps?: number;
}

/**
 * AdaMax: Adam with the infinity norm, `p -= lr * m̂ / max(b2 u, |g| + eps)`.
 * @example const opt = optim.adamax({ learningRate: 2e-3 });
 */
export function adamax(options: AdamaxOptions): GradientTransformation {
  const lr = descend('adamax', options?.learningRate);
  return chain(
    scaleByAdamax({ b1: options.b1 ?? 0.9, b2: options.b2 ?? 0.999, eps: options.eps ?? 1e-8 }),
    lr,
  );
}
