import * as jt from '@jute/tensor';
import { pickClass, requireSparseLabels } from './internal/labels';
import { requireFloat, requireRank } from './internal/validate';

/** Options of `generalizedCrossEntropy`. */
export interface GeneralizedCrossEntropyOptions {
  /**
   * In `(0, 1]`: towards 0 the loss approaches cross-entropy, at 1 it is the (noise
   * robust) mean absolute error `1 - p_y`. Default 0.7, as in the paper.
   */
  q?: number;
}

/**
 * Generalized cross-entropy (Zhang & Sabuncu, 2018), robust to noisy labels:
 * `(1 - p_y^q) / q` with `p = softmax(logits)` and integer labels. `p_y^q` is computed
 * as `exp(q·logSoftmax(logits)[y])`, finite for any finite logits. Shapes and label
 * checks as in `sparseSoftmaxCrossEntropy`.
 * @example
 * const labels = jt.array([0], { dtype: 'int32' });
 * losses.generalizedCrossEntropy(jt.array([[0, 0]]), labels, { q: 1 }); // [0.5]
 */
export function generalizedCrossEntropy(
  logits: jt.Array,
  labels: jt.Array,
  options: GeneralizedCrossEntropyOptions = {},
): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  logits = jt.asArray(logits);
  labels = jt.asArray(labels);
  const fn = 'generalizedCrossEntropy';
  const q = options.q ?? 0.7;
  if (!(q > 0 && q <= 1)) throw new jt.ValueError(`${fn}: q must lie in (0, 1], got ${q}`);
  requireFloat(fn, 'logits', logits);
  requireRank(fn, 'logits', logits, 1);
  requireSparseLabels(fn, logits, labels);
  const logpy = pickClass(jt.logSoftmax(logits, { axis: -1 }), labels);
  // 1 - e^{q·log p} via expm1 keeps precision when p_y is close to 1.
  return jt.div(jt.neg(jt.expm1(jt.mul(logpy, q))), q);
}
