import * as jt from '@jute/tensor';
import { topKCounts } from './internal/counts';
import { safeDiv } from './internal/validate';

/** Options of `topKAccuracy` and `streaming.topKAccuracy`. */
export interface TopKAccuracyOptions {
  /** How many of the highest-scoring classes count as a hit. Default 5. */
  k?: number;
}

/**
 * Fraction of examples whose label is among the `k` highest `scores` (`[..., numClasses]`,
 * labels int32 of the leading shape). Ties at the boundary count as hits (TensorFlow's
 * `in_top_k` convention); `k ≥ numClasses` gives 1. Float32 scalar, 0 for an empty batch.
 * @example
 * metrics.topKAccuracy(logits, labels, { k: 5 });
 */
export function topKAccuracy(
  scores: jt.Array,
  labels: jt.Array,
  options: TopKAccuracyOptions = {},
): jt.Array {
  const [hits, count] = topKCounts('topKAccuracy', scores, labels, options.k ?? 5);
  return safeDiv(jt.cast(hits, 'float32'), jt.cast(count, 'float32'));
}
