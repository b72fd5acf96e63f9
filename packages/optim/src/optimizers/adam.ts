import type { GradientTransformation } from '../gradient-transformation';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { chain } from '../transforms/chain';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { descend } from './learning-rate';

/** Options of `adam` (and `nadam`). */
export interface AdamOptions {
  learningRate: ScalarOrSchedule;
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  b1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  b2?: number;
  /** Added to the root of the second moment (default 1e-8). */
  eps?: number;
  /** Added inside the root (default 0). */
  epsRoot?: number;
  /** Nesterov momentum (NAdam; default false). */
  nesterov?: boolean;
}

/** The moment options shared by the Adam family. */
export const adamMoments = (options: Omit<AdamOptions, 'learningRate'>) => ({
  b1: options.b1 ?? 0.9,
  b2: options.b2 ?? 0.999,
  eps: options.eps ?? 1e-8,
  epsRoot: options.epsRoot ?? 0,
  nesterov: options.nesterov ?? false,
});

/**
 * Adam: `p -= lr * m̂ / (sqrt(v̂) + eps)` with bias-corrected moment estimates.
 * @example
 * const opt = optim.adam({ learningRate: 1e-3 });
 * let state = opt.init(params);
 * const [updates, next] = opt.update(grads, state);
 */
export function adam(options: AdamOptions): GradientTransformation {
  const lr = descend('adam', options?.learningRate);
  return chain(scaleByAdam(adamMoments(options)), lr);
}
