import type { GradientTransformation } from '../gradient-transformation';
import type { Mask } from '../internal/prefix';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { chain } from '../transforms/chain';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByTrustRatio } from '../transforms/scale-by-trust-ratio';
import { descend } from './learning-rate';

/** Options of `lamb`. */
export interface LambOptions {
  learningRate: ScalarOrSchedule;
  /** Default 0.9. */
  b1?: number;
  /** Default 0.999. */
  b2?: number;
  /** Default 1e-6. */
  eps?: number;
  /** Default 0. */
  epsRoot?: number;
  /** Decoupled weight decay (default 0). */
  weightDecay?: number;
  /** Which parameters decay; all when left out. */
  mask?: Mask;
}

/**
 * LAMB: the AdamW direction rescaled per leaf by the trust ratio `‖p‖ / ‖update‖`.
 * Needs `params` in `update`.
 * @example const opt = optim.lamb({ learningRate: 1e-3, weightDecay: 1e-2 });
 */
export function lamb(options: LambOptions): GradientTransformation {
  const lr = descend('lamb', options?.learningRate);
  return chain(
    scaleByAdam({
      b1: options.b1 ?? 0.9,
      b2: options.b2 ?? 0.999,
      eps: options.eps ?? 1e-6,
      epsRoot: options.epsRoot ?? 0,
    }),
    addDecayedWeights(
      options.weightDecay ?? 0,
      options.mask === undefined ? {} : { mask: options.mask },
    ),
    scaleByTrustRatio(),
    lr,
  );
}
