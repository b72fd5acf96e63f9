import * as jt from '@jute/tensor';
import { targetLogSoftmax, xlogx } from './internal/stable-math';
import {
  castLike,
  requireFloat,
  requireInRange,
  requireRank,
  requireSameShape,
} from './internal/validate';

/**
 * KL divergence `KL(targets ‖ softmax(logits)) = Σ t·(log t - logSoftmax(logits))` over
 * the last axis, with `0·log 0 = 0`. `logits` may also be log-probabilities:
 * `logSoftmax` leaves normalised log-probabilities unchanged. Returns shape
 * `logits.shape[:-1]`. Targets outside `[0, 1]` throw `ValueError` (that they sum to 1 is
 * not checked).
 * @example
 * losses.klDivergence(jt.log(jt.array([[0.5, 0.5]])), jt.array([[0.9, 0.1]])); // [0.3681]
 */
export function klDivergence(logits: jt.Array, targets: jt.Array): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  logits = jt.asArray(logits);
  targets = jt.asArray(targets);
  const fn = 'klDivergence';
  requireFloat(fn, 'logits', logits);
  requireRank(fn, 'logits', logits, 1);
  requireSameShape(fn, 'logits', logits, 'targets', targets);
  requireInRange(fn, 'targets', targets, 0, 1);
  const t = castLike(targets, logits);
  return jt.sum(jt.sub(xlogx(t), targetLogSoftmax(t, logits)), { axis: -1 });
}
