import * as jt from '@jute/tensor';
import { targetLogSoftmax } from './internal/stable-math';
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
  // Plain JS arrays and numbers are accepted, as by every op.
  logits = jt.asArray(logits);
  labels = jt.asArray(labels);
  const fn = 'softmaxCrossEntropy';
  requireFloat(fn, 'logits', logits);
  requireRank(fn, 'logits', logits, 1);
  requireSameShape(fn, 'logits', logits, 'labels', labels);
  requireInRange(fn, 'labels', labels, 0, 1);
  const t = castLike(labels, logits);
  return jt.neg(jt.sum(targetLogSoftmax(t, logits), { axis: -1 }));
}
