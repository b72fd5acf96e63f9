import * as jt from '@jute/tensor';
import { softplus } from './internal/stable-math';
import { castLike, meanLastAxis, requireFloat, requireSameShape } from './internal/validate';

/**
 * `log(cosh(p - t))`, quadratic near 0 and linear far away; averaged over the last axis
 * for rank ≥ 2 inputs. Computed as `softplus(2d) - d - log 2`, which never forms
 * `cosh` (it overflows float32 beyond |d| ≈ 89); the gradient is `tanh(d)`.
 * @example
 * losses.logCosh(jt.array([0, 1]), jt.array([0, 0])); // [0, 0.4338]
 */
export function logCosh(predictions: jt.Array, targets: jt.Array): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  predictions = jt.asArray(predictions);
  targets = jt.asArray(targets);
  requireFloat('logCosh', 'predictions', predictions);
  requireSameShape('logCosh', 'predictions', predictions, 'targets', targets);
  const d = jt.sub(predictions, castLike(targets, predictions));
  return meanLastAxis(jt.sub(jt.sub(softplus(jt.mul(d, 2)), d), Math.LN2));
}
