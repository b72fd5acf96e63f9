import * as jt from '@jute/tensor';
import { pickClass, requireSparseLabels } from './internal/labels';
import { requireFloat, requireRank } from './internal/validate';

/** Options of `sparseSoftmaxCrossEntropy`. */
export interface SparseSoftmaxCrossEntropyOptions {
  /**
   * Mixes the one-hot target with the uniform distribution: the target becomes
   * `(1 - labelSmoothing)·oneHot + labelSmoothing / numClasses` (Optax's `smooth_labels`).
   * In `[0, 1)`. Default 0.
   */
  labelSmoothing?: number;
  /** Positions whose label equals this value get loss 0 (and gradient 0), e.g. padding `-100`. */
  ignoreIndex?: number;
}

/**
 * Softmax cross-entropy with integer class labels: `-logSoftmax(logits)[label]`.
 * `logits` is `[..., numClasses]`, `labels` is int32 of shape `logits.shape[:-1]`; the
 * result has the labels' shape. Stable for any finite logits. Labels outside
 * `[0, numClasses)` (other than `ignoreIndex`) throw `ValueError`; float labels throw
 * `DTypeError`.
 * @example
 * const labels = jt.array([0, 1], { dtype: 'int32' });
 * losses.sparseSoftmaxCrossEntropy(jt.array([[2, 0], [0, 0]]), labels); // [0.1269, 0.6931]
 * losses.sparseSoftmaxCrossEntropy(logits, tokens, { labelSmoothing: 0.1, ignoreIndex: -100 });
 */
export function sparseSoftmaxCrossEntropy(
  logits: jt.Array,
  labels: jt.Array,
  options: SparseSoftmaxCrossEntropyOptions = {},
): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  logits = jt.asArray(logits);
  labels = jt.asArray(labels);
  const fn = 'sparseSoftmaxCrossEntropy';
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1))
    throw new jt.ValueError(`${fn}: labelSmoothing must lie in [0, 1), got ${smoothing}`);
  requireFloat(fn, 'logits', logits);
  requireRank(fn, 'logits', logits, 1);
  requireSparseLabels(fn, logits, labels, options.ignoreIndex);
  const logp = jt.logSoftmax(logits, { axis: -1 });
  const ignored =
    options.ignoreIndex === undefined ? undefined : jt.equal(labels, options.ignoreIndex);
  // Ignored labels may be out of range: gather at class 0 there, then zero the result.
  const safe = ignored ? jt.where(ignored, 0, labels) : labels;
  let loss = jt.neg(pickClass(logp, safe));
  if (smoothing > 0) {
    const uniform = jt.neg(jt.mean(logp, { axis: -1 }));
    loss = jt.add(jt.mul(loss, 1 - smoothing), jt.mul(uniform, smoothing));
  }
  return ignored ? jt.where(ignored, 0, loss) : loss;
}
