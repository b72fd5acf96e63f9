import * as jt from '@jute/tensor';
import { castLike, meanLastAxis, requireFloat, requireSameShape } from './internal/validate';

/** Options of `huber`. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (> 0). Default 1. */
  delta?: number;
}

/**
 * Huber loss: `0.5·d²` for `|d| ≤ delta`, else `delta·(|d| - 0.5·delta)`, with
 * `d = p - t`; averaged over the last axis for rank ≥ 2 inputs. The quadratic branch
 * squares `d` itself (not `|d|`), so the second derivative at `d = 0` is 1, and it only
 * ever sees `|d| ≤ delta`, so huge errors cannot overflow it.
 * @example
 * losses.huber(jt.array([0.5, 3]), jt.array([0, 0]), { delta: 1 }); // [0.125, 2.5]
 */
export function huber(
  predictions: jt.Array,
  targets: jt.Array,
  options: HuberOptions = {},
): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  predictions = jt.asArray(predictions);
  targets = jt.asArray(targets);
  const delta = options.delta ?? 1;
  if (!(delta > 0 && Number.isFinite(delta)))
    throw new jt.ValueError(`huber: delta must be a positive number, got ${delta}`);
  requireFloat('huber', 'predictions', predictions);
  requireSameShape('huber', 'predictions', predictions, 'targets', targets);
  const d = jt.sub(predictions, castLike(targets, predictions));
  const err = jt.abs(d);
  const small = jt.lessEqual(err, delta);
  const quadratic = jt.mul(jt.square(jt.where(small, d, 0)), 0.5);
  return meanLastAxis(jt.where(small, quadratic, jt.mul(jt.sub(err, 0.5 * delta), delta)));
}
