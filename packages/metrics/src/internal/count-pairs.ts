import * as jt from '@jute/tensor';

/** Counts `(label, prediction)` pairs of validated int32 indices into an int32 `[K, K]` (rows: labels). */
export function countPairs(predictions: jt.Array, labels: jt.Array, numClasses: number): jt.Array {
  const k = numClasses;
  // A scatter-add of ones at label·K + prediction: exact int32 counts, no float matmul.
  const flat = jt.ravel(jt.add(jt.mul(labels, k), predictions));
  return jt.reshape(jt.at(jt.zeros([k * k], { dtype: 'int32' }), flat).add(1), [k, k]);
}
