import * as jt from '@jute/tensor';
import type { EmptyState, GradientTransformation } from '../gradient-transformation';
import { checkFinite } from '../internal/check';
import { expectState } from '../internal/state';
import type { Leaf } from '../internal/tree';

/**
 * Multiplies every update by a constant `step`.
 * @example const halve = optim.scale(0.5);
 */
export function scale(step: number): GradientTransformation<EmptyState> {
  checkFinite('scale', 'step', step);
  return {
    init: () => ({}),
    update: (updates, state) => {
      expectState('scale.update', state, []);
      return [jt.tree.map((g: Leaf) => jt.mul(g, step), updates) as typeof updates, state];
    },
  };
}
