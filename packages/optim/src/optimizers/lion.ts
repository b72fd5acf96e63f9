import type { GradientTransformation } from '../gradient-transformation';
import type { Mask } from '../internal/prefix';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { chain } from '../transforms/chain';
import { scaleByLion } from '../transforms/scale-by-lion';
import { descend } from './learning-rate';

/** Options of `lion`. */
export interface LionOptions {
  learningRate: ScalarOrSchedule;
  /** Default 0.9. */
  b1?: number;
  /** Default 0.99. */
  b2?: number;
  /** Decoupled weight decay (default 1e-3). */
  weightDecay?: number;
  /** Which parameters decay; all when left out. */
  mask?: Mask;
}

/**
 * Lion: `p -= lr * (sign(b1 m + (1 - b1) g) + wd * p)`; use a 3-10x smaller learning rate than AdamW.
 * @example const opt = optim.lion({ learningRate: 1e-4 });
 */
export function lion(options: LionOptions): GradientTransformation {
  const lr = descend('lion', options?.learningRate);
  return chain(
    scaleByLion({ b1: options.b1 ?? 0.9, b2: options.b2 ?? 0.99 }),
    addDecayedWeights(
      options.weightDecay ?? 1e-3,
      options.mask === undefined ? {} : { mask: options.mask },
    ),
    lr,
  );
}
