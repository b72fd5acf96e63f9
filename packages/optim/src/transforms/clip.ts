import * as jt from '@jute/tensor';
import type { EmptyState, GradientTransformation } from '../gradient-transformation';
import { checkNonNegative } from '../internal/check';
import { expectState } from '../internal/state';
import type { Leaf } from '../internal/tree';

/**
 * Clips every element of the updates to `[-maxDelta, maxDelta]`.
 * @example const opt = optim.chain(optim.clip(1), optim.sgd({ learningRate: 0.1 }));
 */
export function clip(maxDelta: number): GradientTransformation<EmptyState> {
  checkNonNegative('clip', 'maxDelta', maxDelta);
  return {
    init: () => ({}),
    update: (updates, state) => {
      expectState('clip.update', state, []);
      return [
        jt.tree.map((g: Leaf) => jt.clip(g, -maxDelta, maxDelta), updates) as typeof updates,
        state,
      ];
    },
  };
}
