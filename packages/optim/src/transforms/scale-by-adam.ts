import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative, checkUnit } from '../internal/check';
import { incrementCount, zeroCount } from '../internal/count';
import * as n from '../internal/num';
import { expectCount, expectState } from '../internal/state';
import { type Leaf, mapMatchingMulti, zerosLikeTree } from '../internal/tree';

/** State of `scaleByAdam`: step count and first/second moment estimates. */
export type ScaleByAdamState = { count: jt.Array; mu: jt.PyTree; nu: jt.PyTree };

/** Options of `scaleByAdam`. */
export interface ScaleByAdamOptions {
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  b1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  b2?: number;
  /** Added to the root of the second moment (default 1e-8). */
  eps?: number;
  /** Added to the second moment inside the root (default 0). */
  epsRoot?: number;
  /** Nesterov momentum: look ahead with the next step's first moment (NAdam). */
  nesterov?: boolean;
}

/**
 * Rescales updates by Adam's bias-corrected moments:
 * `m̂ / (sqrt(v̂ + epsRoot) + eps)` with `m̂ = m / (1 - b1^t)`, `v̂ = v / (1 - b2^t)`.
 * @example const opt = optim.chain(optim.scaleByAdam({ b2: 0.99 }), optim.scaleByLearningRate(1e-3));
 */
export function scaleByAdam(
  options: ScaleByAdamOptions = {},
): GradientTransformation<ScaleByAdamState> {
  const name = 'scaleByAdam';
  const b1 = checkUnit(name, 'b1', options.b1 ?? 0.9);
  const b2 = checkUnit(name, 'b2', options.b2 ?? 0.999);
  const eps = checkNonNegative(name, 'eps', options.eps ?? 1e-8);
  const epsRoot = checkNonNegative(name, 'epsRoot', options.epsRoot ?? 0);
  const nesterov = options.nesterov ?? false;
  const op = `${name}.update`;
  return {
    init: (params) => ({
      count: zeroCount(),
      mu: zerosLikeTree(params),
      nu: zerosLikeTree(params),
    }),
    update: (updates, state) => {
      expectState<ScaleByAdamState>(op, state, ['count', 'mu', 'nu']);
      const count = incrementCount(expectCount(op, 'count', state.count));
      const t = n.scalarOf(count);
      const bc1 = n.sub(1, n.pow(b1, t));
      const bc2 = n.sub(1, n.pow(b2, t));
      // Nesterov mixes the next step's momentum with the current gradient, each with its own correction.
      const cMu = nesterov ? n.div(b1, n.sub(1, n.pow(b1, n.add(t, 1)))) : n.div(1, bc1);
      const cG = n.div(1 - b1, bc1);
      // With epsRoot = 0, m̂ / (sqrt(v̂) + eps) = m * sqrt(bc2)/bc1 / (sqrt(v) + eps * sqrt(bc2)): one op fewer per leaf.
      const fold = epsRoot === 0;
      const s = fold ? n.sqrt(bc2) : 1;
      const kMu = n.mul(cMu, s);
      const kG = n.mul(cG, s);
      const kEps = n.mul(eps, s);
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
          const v2 = jt.add(jt.mul(v, b2), jt.mul(jt.square(g), 1 - b2));
          const num = nesterov ? jt.add(jt.mul(m2, kMu), jt.mul(g, kG)) : jt.mul(m2, kMu);
          const den = fold
            ? jt.add(jt.sqrt(v2), kEps)
            : jt.add(jt.sqrt(jt.add(jt.div(v2, bc2), epsRoot)), eps);
          return [jt.div(num, den), m2, v2];
        },
      );
      return [u as typeof updates, { count, mu: mu as jt.PyTree, nu: nu as jt.PyTree }];
    },
  };
}
