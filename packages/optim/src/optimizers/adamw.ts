import type { GradientTransformation } from '../gradient-transformation';
import type { Mask } from '../internal/prefix';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { chain } from '../transforms/chain';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { type AdamOptions, adamMoments } from './adam';
import { descend } from './learning-rate';

/** Options of `adamw`. */
export interface AdamwOptions extends AdamOptions {
  /** Decoupled weight decay coefficient (default 1e-4). */
  weightDecay?: number;
  /** Which parameters decay (tree of booleans or function of params); all when left out. */
  mask?: Mask;
}

/**
 * AdamW: Adam with decoupled weight decay, `p -= lr * (m̂ / (sqrt(v̂) + eps) + wd * p)`.
 * @example
 * const opt = optim.adamw({ learningRate: 1e-3, weightDecay: 1e-2, mask: (p) => jt.tree.map((x) => x.ndim > 1, p) });
 * const [updates, next] = opt.update(grads, state, params); // params are required
 */
export function adamw(options: AdamwOptions): GradientTransformation {
  const lr = descend('adamw', options?.learningRate);
  const decay = addDecayedWeights(
    options.weightDecay ?? 1e-4,
    options.mask === undefined ? {} : { mask: options.mask },
  );
  return chain(scaleByAdam(adamMoments(options)), decay, lr);
}
