import type { EmptyState, GradientTransformation } from '../gradient-transformation';
import { expectState } from '../internal/state';
import { zerosLikeTree } from '../internal/tree';

/**
 * Replaces every update with zeros; with `masked` or `multiTransform` it freezes parameters.
 * @example const frozen = optim.multiTransform({ train: optim.adam({ learningRate: 1e-3 }), freeze: optim.setToZero() }, labels);
 */
export function setToZero(): GradientTransformation<EmptyState> {
  return {
    init: () => ({}),
    update: (updates, state) => {
      expectState('setToZero.update', state, []);
      return [zerosLikeTree(updates) as typeof updates, state];
    },
  };
}
