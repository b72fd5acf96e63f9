import * as jt from '@jute/tensor';
import type { EmptyState, GradientTransformation } from '../gradient-transformation';
import { checkNonNegative } from '../internal/check';
import * as n from '../internal/num';
import { expectState } from '../internal/state';
import { globalNorm } from './global-norm';
import { scaleTree } from './scale-by-schedule';

/**
 * Rescales all updates together so that their global L2 norm is at most `maxNorm`
 * (direction kept; updates already within the bound pass unchanged).
 * @example const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam({ learningRate: 1e-3 }));
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<EmptyState> {
  checkNonNegative('clipByGlobalNorm', 'maxNorm', maxNorm);
  return {
    init: () => ({}),
    update: (updates, state) => {
      expectState('clipByGlobalNorm.update', state, []);
      const norm = n.scalarOf(globalNorm(updates));
      if (typeof norm === 'number') {
        // Concrete: skip the whole-tree multiply when nothing needs clipping.
        if (!(norm > maxNorm)) return [updates, state];
        return [scaleTree(updates, maxNorm / norm), state];
      }
      const factor = jt.where(jt.less(norm, maxNorm), 1, jt.div(maxNorm, norm));
      return [scaleTree(updates, factor), state];
    },
  };
}
