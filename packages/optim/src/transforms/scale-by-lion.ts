import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkUnit } from '../internal/check';
import { expectState } from '../internal/state';
import { type Leaf, mapMatchingMulti, zerosLikeTree } from '../internal/tree';

/** State of `scaleByLion`: the momentum. */
export type ScaleByLionState = { mu: jt.PyTree };

/** Options of `scaleByLion`. */
export interface ScaleByLionOptions {
  /** Interpolation between momentum and gradient for the update's sign, in [0, 1] (default 0.9). */
  b1?: number;
  /** Decay of the momentum, in [0, 1) (default 0.99). */
  b2?: number;
}

/**
 * Lion's update direction: `sign(b1 * m + (1 - b1) * g)`, then `m = b2 * m + (1 - b2) * g`.
 * @example const opt = optim.chain(optim.scaleByLion(), optim.scaleByLearningRate(1e-4));
 */
export function scaleByLion(
  options: ScaleByLionOptions = {},
): GradientTransformation<ScaleByLionState> {
  const name = 'scaleByLion';
  const b1 = checkUnit(name, 'b1', options.b1 ?? 0.9, true);
  const b2 = checkUnit(name, 'b2', options.b2 ?? 0.99);
  const op = `${name}.update`;
  return {
    init: (params) => ({ mu: zerosLikeTree(params) }),
    update: (updates, state) => {
      expectState<ScaleByLionState>(op, state, ['mu']);
      const [u, mu] = mapMatchingMulti(
        op,
        [
          ['updates', updates],
          ['state.mu', state.mu],
        ],
        2,
        (g: Leaf, m: Leaf) => {
          const dir = jt.sign(jt.add(jt.mul(m, b1), jt.mul(g, 1 - b1)));
          return [dir, jt.add(jt.mul(m, b2), jt.mul(g, 1 - b2))];
        },
      );
      return [u as typeof updates, { mu: mu as jt.PyTree }];
    },
  };
}
