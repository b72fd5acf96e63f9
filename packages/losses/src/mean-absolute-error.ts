import * as jt from '@jute/tensor';
import { castLike, meanLastAxis, requireFloat, requireSameShape } from './internal/validate';

/**
 * Absolute error `|p - t|` per example, averaged over the last axis for rank ≥ 2 inputs.
 * Its gradient at `p = t` is 0 (the subgradient `sign(0)`).
 * @example
 * losses.meanAbsoluteError(jt.array([[1, 2]]), jt.array([[0, 4]])); // [1.5]
 */
export function meanAbsoluteError(predictions: jt.Array, targets: jt.Array): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  predictions = jt.asArray(predictions);
  targets = jt.asArray(targets);
  requireFloat('meanAbsoluteError', 'predictions', predictions);
  requireSameShape('meanAbsoluteError', 'predictions', predictions, 'targets', targets);
  return meanLastAxis(jt.abs(jt.sub(predictions, castLike(targets, predictions))));
}
