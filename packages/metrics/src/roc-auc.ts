import * as jt from '@jute/tensor';
import { labelIndices } from './internal/validate';

/**
 * Area under the ROC curve for binary labels, from scores (any monotone score: logits or
 * probabilities of the positive class). Computed exactly as the Mann–Whitney statistic
 * with average ranks for tied scores, so ties count one half. Needs both classes:
 * all-positive or all-negative labels throw `ValueError` (the AUC is undefined, as in
 * sklearn). Reads the values, so call it outside transforms. Returns a float32 scalar.
 * @example
 * metrics.rocAuc(jt.array([0.1, 0.4, 0.35, 0.8]), jt.array([0, 0, 1, 1], { dtype: 'int32' })); // 0.75
 */
export function rocAuc(scores: jt.Array, labels: jt.Array): jt.Array {
  const fn = 'rocAuc';
  const l = labelIndices(fn, labels);
  if (scores.ndim !== 1 || l.ndim !== 1 || scores.shape[0] !== l.shape[0]) {
    throw new jt.ShapeError(
      `${fn}: scores ${jt.fmtShape(scores.shape)} and labels ${jt.fmtShape(l.shape)} must both be [batch] (pass the positive class's score)`,
    );
  }
  const s = scores.data();
  const y = l.data();
  const n = s.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1)
      throw new jt.ValueError(`${fn}: labels must be 0 or 1, got ${y[i]} at index ${i}`);
    if (Number.isNaN(s[i]!)) throw new jt.ValueError(`${fn}: score at index ${i} is NaN`);
    positives += y[i]!;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new jt.ValueError(
      `${fn}: labels hold only one class (${positives} positive, ${negatives} negative): ROC AUC is undefined`,
    );
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a]! - s[b]!);
  // Sum of the (1-based, tie-averaged) ranks of the positives.
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && s[order[j + 1]!] === s[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let m = i; m <= j; m++) rankSum += y[order[m]!]! * rank;
    i = j + 1;
  }
  const auc = (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
  return jt.array(auc);
}
