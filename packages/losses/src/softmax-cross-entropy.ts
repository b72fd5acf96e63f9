import * as jt from '@jute/tensor';
import {
  castLike,
  requireFloat,
  requireInRange,
  requireRank,
  requireSameShape,
} from './internal/validate';

/**
 * Cross-entropy between `softmax(logits)` and a target distribution over the last axis
 * (`labels`, e.g. one-hot or smoothed): `-Σ labels · logSoftmax(logits)`. Returns shape
 * `logits.shape[:-1]` (`[batch]`, or `[batch, time]` for sequences). Stable for any
 * finite logits; classes masked with `-Infinity` logits and a zero label contribute 0.
 * Labels outside `[0, 1]` throw `ValueError`.
 * @example
 * losses.softmaxCrossEntropy(jt.array([[2, 0]]), jt.array([[1, 0]])); // [0.1269]
 */
export function softmaxCrossEntropy(logits: jt.Array, labels: jt.Array): jt.Array {
  const fn = 'softmaxCrossEntropy';
  requireFloat(fn, 'logits', logits);
  requireRank(fn, 'logits', logits, 1);
  requireSameShape(fn, 'logits', logits, 'labels', labels);
  requireInRange(fn, 'labels', labels, 0, 1);
  const t = castLike(labels, logits);
  const logp = jt.logSoftmax(logits, { axis: -1 });
  // 0 · (-inf) would be NaN for masked classes; such terms are 0 by the convention 0·log 0 = 0.
  const masked = jt.logicalAnd(jt.equal(t, 0), jt.equal(logp, Number.NEGATIVE_INFINITY));
  return jt.neg(jt.sum(jt.mul(t, jt.where(masked, 0, logp)), { axis: -1 }));
}
