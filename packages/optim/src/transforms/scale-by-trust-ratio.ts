import * as jt from '@jute/tensor';
import type { EmptyState, GradientTransformation } from '../gradient-transformation';
import { checkNonNegative } from '../internal/check';
import * as n from '../internal/num';
import { expectState } from '../internal/state';
import { type Leaf, mapMatching } from '../internal/tree';

/** Options of `scaleByTrustRatio`. */
export interface ScaleByTrustRatioOptions {
  /** Norms below this count as this value (default 0). */
  minNorm?: number;
  /** Multiplies the ratio (default 1). */
  trustCoefficient?: number;
  /** Added to the update norm (default 0). */
  eps?: number;
}

/**
 * LARS/LAMB's layer-wise trust ratio: scales each leaf's update by
 * `‖param‖ / ‖update‖` (1 where either norm is zero). Needs `params`.
 * @example const opt = optim.chain(optim.scaleByAdam(), optim.scaleByTrustRatio(), optim.scaleByLearningRate(1e-3));
 */
export function scaleByTrustRatio(
  options: ScaleByTrustRatioOptions = {},
): GradientTransformation<EmptyState> {
  const name = 'scaleByTrustRatio';
  const minNorm = checkNonNegative(name, 'minNorm', options.minNorm ?? 0);
  const coef = checkNonNegative(name, 'trustCoefficient', options.trustCoefficient ?? 1);
  const eps = checkNonNegative(name, 'eps', options.eps ?? 0);
  const op = `${name}.update`;
  const norm = (x: Leaf): n.Num => {
    const v = n.scalarOf(jt.sqrt(jt.sum(jt.square(x))));
    return n.where(n.lessEqual(v, minNorm), minNorm, v);
  };
  return {
    init: () => ({}),
    update: (updates, state, params) => {
      expectState(op, state, []);
      if (params === undefined)
        throw new jt.ValueError(`${op}: params are required (pass them as the third argument)`);
      const out = mapMatching(
        op,
        [
          ['updates', updates],
          ['params', params],
        ],
        (u: Leaf, p: Leaf) => {
          const pn = norm(p);
          const un = norm(u);
          const ratio = n.mul(coef, n.div(pn, n.add(un, eps)));
          const zero = n.or(n.lessEqual(pn, 0), n.lessEqual(un, 0));
          const r = n.where(zero, 1, ratio);
          return r === 1 ? u : jt.mul(u, r);
        },
      );
      return [out as typeof updates, state];
    },
  };
}
