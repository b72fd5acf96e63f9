import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative } from '../internal/check';
import { expectState } from '../internal/state';
import { fullLikeTree, type Leaf, mapMatchingMulti } from '../internal/tree';

/** State of `scaleByAdagrad`: the running sum of squared gradients. */
export type ScaleByAdagradState = { sumOfSquares: jt.PyTree };

/** Options of `scaleByAdagrad`. */
export interface ScaleByAdagradOptions {
  /** Starting value of the sum of squares (default 0.1). */
  initialAccumulatorValue?: number;
  /** Stabilizer inside the root (default 1e-7). */
  eps?: number;
}

/**
 * Adagrad's rescaling: `g / sqrt(Σ g² + eps)`.
 * @example const opt = optim.chain(optim.scaleByAdagrad(), optim.scaleByLearningRate(0.1));
 */
export function scaleByAdagrad(
  options: ScaleByAdagradOptions = {},
): GradientTransformation<ScaleByAdagradState> {
  const name = 'scaleByAdagrad';
  const initial = checkNonNegative(
    name,
    'initialAccumulatorValue',
    options.initialAccumulatorValue ?? 0.1,
  );
  const eps = checkNonNegative(name, 'eps', options.eps ?? 1e-7);
  const op = `${name}.update`;
  return {
    init: (params) => ({ sumOfSquares: fullLikeTree(params, initial) }),
    update: (updates, state) => {
      expectState<ScaleByAdagradState>(op, state, ['sumOfSquares']);
      const [u, acc] = mapMatchingMulti(
        op,
        [
          ['updates', updates],
          ['state.sumOfSquares', state.sumOfSquares],
        ],
        2,
        (g: Leaf, s: Leaf) => {
          const s2 = jt.add(s, jt.square(g));
          return [jt.mul(g, jt.rsqrt(jt.add(s2, eps))), s2];
        },
      );
      return [u as typeof updates, { sumOfSquares: acc as jt.PyTree }];
    },
  };
}
