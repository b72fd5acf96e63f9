import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative } from '../internal/check';
import type { Mask } from '../internal/prefix';
import { expectState } from '../internal/state';
import { type Leaf, mapMatching } from '../internal/tree';
import { masked } from './masked';

/** Options of `addDecayedWeights`. */
export interface AddDecayedWeightsOptions {
  /**
   * Which parameters decay: a tree (or prefix tree) of booleans, or a function of the
   * parameters returning one. Typical: decay kernels, not biases or norms.
   */
  mask?: Mask;
}

/**
 * Adds `weightDecay * params` to the updates (decoupled weight decay, as in AdamW).
 * Needs `params` (unless `weightDecay` is 0).
 * @example
 * const decayKernels = (p) => jt.tree.map((x) => x.ndim > 1, p);
 * const opt = optim.chain(optim.scaleByAdam(), optim.addDecayedWeights(1e-4, { mask: decayKernels }), optim.scaleByLearningRate(1e-3));
 */
export function addDecayedWeights(
  weightDecay = 0,
  options: AddDecayedWeightsOptions = {},
): GradientTransformation {
  const name = 'addDecayedWeights';
  checkNonNegative(name, 'weightDecay', weightDecay);
  const op = `${name}.update`;
  const inner: GradientTransformation<Record<string, never>> = {
    init: () => ({}),
    update: (updates, state, params) => {
      expectState(op, state, []);
      if (weightDecay === 0) return [updates, state];
      if (params === undefined)
        throw new jt.ValueError(`${op}: params are required (pass them as the third argument)`);
      const out = mapMatching(
        op,
        [
          ['updates', updates],
          ['params', params],
        ],
        (u: Leaf, p: Leaf) => jt.add(u, jt.mul(p, weightDecay)),
      );
      return [out as typeof updates, state];
    },
  };
  return options.mask === undefined ? inner : masked(inner, options.mask);
}
