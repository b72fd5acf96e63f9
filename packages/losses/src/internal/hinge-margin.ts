import * as jt from '@jute/tensor';
import { castLike, concreteValues, requireFloat, requireSameShape } from './validate';

/** Hinge targets are ±1; 0/1 labels are refused rather than silently treated as margins. */
function requireSignTargets(fn: string, targets: jt.Array): void {
  const v = concreteValues(targets);
  if (v === undefined) return;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 1 && v[i] !== -1) {
      throw new jt.ValueError(
        `${fn}: targets must be -1 or 1, got ${v[i]} at flat index ${i} of shape ${jt.fmtShape(targets.shape)} (map 0/1 labels with 2·y - 1)`,
      );
    }
  }
}

/**
 * `max(0, 1 - t·p)` elementwise, before the mean over the last axis. Written with
 * `maximum`, as Optax's `hinge_loss` is, so the derivative at the kink (`t·p = 1`) is
 * Optax's `-t/2` (max splits a tie's tangent evenly) and NaN propagates; a `relu` would
 * give 0 there.
 */
export function hingeMargin(fn: string, predictions: jt.Array, targets: jt.Array): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  predictions = jt.asArray(predictions);
  targets = jt.asArray(targets);
  requireFloat(fn, 'predictions', predictions);
  requireSameShape(fn, 'predictions', predictions, 'targets', targets);
  requireSignTargets(fn, targets);
  return jt.maximum(jt.sub(1, jt.mul(predictions, castLike(targets, predictions))), 0);
}
