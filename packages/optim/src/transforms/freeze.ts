import type { GradientTransformation } from '../gradient-transformation';
import type { Mask } from '../internal/prefix';
import { type MaskedState, masked } from './masked';
import { setToZero } from './set-to-zero';

/**
 * Zeroes the updates of the leaves where `mask` is true, freezing those parameters.
 * Chain it last, so that nothing (momentum, weight decay) moves them.
 * @example const opt = optim.chain(optim.adamw({ learningRate: 1e-3 }), optim.freeze({ encoder: true, head: false }));
 */
export function freeze(mask: Mask): GradientTransformation<MaskedState<Record<string, never>>> {
  return masked(setToZero(), mask);
}
