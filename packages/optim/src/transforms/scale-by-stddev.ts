import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative, checkUnit } from '../internal/check';
import { expectState } from '../internal/state';
import { fullLikeTree, type Leaf, mapMatchingMulti, zerosLikeTree } from '../internal/tree';

/** State of `scaleByStddev`: running means of gradients and of their squares. */
export type ScaleByStddevState = { mu: jt.PyTree; nu: jt.PyTree };

/** Options of `scaleByStddev`. */
export interface ScaleByStddevOptions {
  /** Decay of the running means, in [0, 1] (default 0.9). */
  decay?: number;
  /** Stabilizer inside the root (default 1e-8). */
  eps?: number;
  /** Initial mean square (default 0). */
  initialScale?: number;
}

/**
 * Centered RMSProp's rescaling: `g / sqrt(E[g²] - E[g]² + eps)`.
 * @example const opt = optim.chain(optim.scaleByStddev(), optim.scaleByLearningRate(1e-3));
 */
export function scaleByStddev(
  options: ScaleByStddevOptions = {},
): GradientTransformation<ScaleByStddevState> {
  const name = 'scaleByStddev';
  const decay = checkUnit(name, 'decay', options.decay ?? 0.9, true);
  const eps = checkNonNegative(name, 'eps', options.eps ?? 1e-8);
  const initialScale = checkNonNegative(name, 'initialScale', options.initialScale ?? 0);
  const op = `${name}.update`;
  return {
    init: (params) => ({ mu: zerosLikeTree(params), nu: fullLikeTree(params, initialScale) }),
    update: (updates, state) => {
      expectState<ScaleByStddevState>(op, state, ['mu', 'nu']);
      const [u, mu, nu] = mapMatchingMulti(
        op,
        [
          ['updates', updates],
          ['state.mu', state.mu],
          ['state.nu', state.nu],
        ],
        3,
        (g: Leaf, m: Leaf, v: Leaf) => {
          const m2 = jt.add(jt.mul(m, decay), jt.mul(g, 1 - decay));
          const v2 = jt.add(jt.mul(v, decay), jt.mul(jt.square(g), 1 - decay));
          return [jt.mul(g, jt.rsqrt(jt.add(jt.sub(v2, jt.square(m2)), eps))), m2, v2];
        },
      );
      return [u as typeof updates, { mu: mu as jt.PyTree, nu: nu as jt.PyTree }];
    },
  };
}
