import * as jt from '@jute/tensor';
import { regressionPair, safeDiv } from './internal/validate';

/**
 * Mean squared error over all elements, as a scalar of the predictions' dtype (0 for
 * empty inputs). Unlike the loss in `@jute/losses`, this reduces completely.
 * @example
 * metrics.meanSquaredError(jt.array([1, 2]), jt.array([0, 4])); // 2.5
 */
export function meanSquaredError(predictions: jt.Array, targets: jt.Array): jt.Array {
  const [p, t] = regressionPair('meanSquaredError', predictions, targets);
  return safeDiv(jt.sum(jt.square(jt.sub(p, t))), jt.full([], p.size, { dtype: p.dtype }));
}
