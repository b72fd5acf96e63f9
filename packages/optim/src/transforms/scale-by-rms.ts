import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative, checkUnit } from '../internal/check';
import { expectState } from '../internal/state';
import { fullLikeTree, type Leaf, mapMatchingMulti } from '../internal/tree';

/** State of `scaleByRms`: the running mean of squared gradients. */
export type ScaleByRmsState = { nu: jt.PyTree };

/** Options of `scaleByRms`. */
export interface ScaleByRmsOptions {
  /** Decay of the mean square, in [0, 1] (default 0.9). */
  decay?: number;
  /** Stabilizer (default 1e-8). */
  eps?: number;
  /** Initial mean square (default 0). */
  initialScale?: number;
  /** `g / sqrt(v + eps)` when true (default, as Optax), else `g / (sqrt(v) + eps)`. */
  epsInSqrt?: boolean;
}

/**
 * RMSProp's rescaling: divides updates by the root of a running mean of their squares.
 * @example const opt = optim.chain(optim.scaleByRms({ decay: 0.99 }), optim.scaleByLearningRate(1e-3));
 */
export function scaleByRms(
  options: ScaleByRmsOptions = {},
): GradientTransformation<ScaleByRmsState> {
  const name = 'scaleByRms';
  const decay = checkUnit(name, 'decay', options.decay ?? 0.9, true);
  const eps = checkNonNegative(name, 'eps', options.eps ?? 1e-8);
  const initialScale = checkNonNegative(name, 'initialScale', options.initialScale ?? 0);
  const epsInSqrt = options.epsInSqrt ?? true;
  const op = `${name}.update`;
  return {
    init: (params) => ({ nu: fullLikeTree(params, initialScale) }),
    update: (updates, state) => {
      expectState<ScaleByRmsState>(op, state, ['nu']);
      const [u, nu] = mapMatchingMulti(
        op,
        [
          ['updates', updates],
          ['state.nu', state.nu],
        ],
        2,
        (g: Leaf, v: Leaf) => {
          const v2 = jt.add(jt.mul(v, decay), jt.mul(jt.square(g), 1 - decay));
          const out = epsInSqrt
            ? jt.mul(g, jt.rsqrt(jt.add(v2, eps)))
            : jt.div(g, jt.add(jt.sqrt(v2), eps));
          return [out, v2];
        },
      );
      return [u as typeof updates, { nu: nu as jt.PyTree }];
    },
  };
}
