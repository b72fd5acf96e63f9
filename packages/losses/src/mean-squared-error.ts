import * as jt from '@jute/tensor';
import { castLike, meanLastAxis, requireFloat, requireSameShape } from './internal/validate';

/**
 * Squared error `(p - t)²` per example, averaged over the last axis when the inputs
 * have rank ≥ 2 (so `[batch]` and `[batch, features]` both give `[batch]`, and
 * `[batch, time, features]` gives `[batch, time]`).
 * @example
 * losses.meanSquaredError(jt.array([1, 2]), jt.array([0, 4])); // [1, 4]
 */
export function meanSquaredError(predictions: jt.Array, targets: jt.Array): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  predictions = jt.asArray(predictions);
  targets = jt.asArray(targets);
  requireFloat('meanSquaredError', 'predictions', predictions);
  requireSameShape('meanSquaredError', 'predictions', predictions, 'targets', targets);
  return meanLastAxis(jt.square(jt.sub(predictions, castLike(targets, predictions))));
}
