import type { EmptyState, GradientTransformation } from '../gradient-transformation';
import { expectState } from '../internal/state';

/**
 * Passes updates through unchanged.
 * @example const opt = optim.chain(optim.identity(), optim.sgd({ learningRate: 0.1 }));
 */
export function identity(): GradientTransformation<EmptyState> {
  return {
    init: () => ({}),
    update: (updates, state) => {
      expectState('identity.update', state, []);
      return [updates, state];
    },
  };
}
