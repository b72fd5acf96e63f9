import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative, checkUnit } from '../internal/check';
import { incrementCount, zeroCount } from '../internal/count';
import * as n from '../internal/num';
import { expectCount, expectState } from '../internal/state';
import { type Leaf, mapMatchingMulti, zerosLikeTree } from '../internal/tree';

/** State of `scaleByAdamax`: step count, first moment and infinity norm. */
export type ScaleByAdamaxState = { count: jt.Array; mu: jt.PyTree; nu: jt.PyTree };

/** Options of `scaleByAdamax`. */
export interface ScaleByAdamaxOptions {
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  b1?: number;
  /** Decay of the infinity norm, in [0, 1) (default 0.999). */
  b2?: number;
  /** Added to `|g|` in the infinity norm (default 1e-8). */
  eps?: number;
}

/**
 * AdaMax: `m̂ / u` with `u = max(b2 * u, |g| + eps)` (Adam with the infinity norm).
 * @example const opt = optim.chain(optim.scaleByAdamax(), optim.scaleByLearningRate(2e-3));
 */
export function scaleByAdamax(
  options: ScaleByAdamaxOptions = {},
): GradientTransformation<ScaleByAdamaxState> {
  const name = 'scaleByAdamax';
  const b1 = checkUnit(name, 'b1', options.b1 ?? 0.9);
  const b2 = checkUnit(name, 'b2', options.b2 ?? 0.999);
  const eps = checkNonNegative(name, 'eps', options.eps ?? 1e-8);
  const op = `${name}.update`;
  return {
    init: (params) => ({
      count: zeroCount(),
      mu: zerosLikeTree(params),
      nu: zerosLikeTree(params),
    }),
    update: (updates, state) => {
      expectState<ScaleByAdamaxState>(op, state, ['count', 'mu', 'nu']);
      const count = incrementCount(expectCount(op, 'count', state.count));
      const c = n.div(1, n.sub(1, n.pow(b1, n.scalarOf(count))));
      const [u, mu, nu] = mapMatchingMulti(
        op,
        [
          ['updates', updates],
          ['state.mu', state.mu],
          ['state.nu', state.nu],
        ],
        3,
        (g: Leaf, m: Leaf, v: Leaf) => {
          const m2 = jt.add(jt.mul(m, b1), jt.mul(g, 1 - b1));
          const v2 = jt.maximum(jt.mul(v, b2), jt.add(jt.abs(g), eps));
          return [jt.div(jt.mul(m2, c), v2), m2, v2];
        },
      );
      return [u as typeof updates, { count, mu: mu as jt.PyTree, nu: nu as jt.PyTree }];
    },
  };
}
