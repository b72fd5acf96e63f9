import type * as jt from '@jute/tensor';
import { countPairs } from './internal/count-pairs';
import { classIndices, requireNumClasses } from './internal/validate';

/** Options of `confusionMatrix` and `streaming.confusionMatrix`. */
export interface ConfusionMatrixOptions {
  /** Number of classes `K`; the matrix is `K × K`. */
  numClasses: number;
}

/**
 * Confusion matrix: int32 `[numClasses, numClasses]` whose entry `[i, j]` counts examples
 * with true label `i` (rows) predicted as `j` (columns). Predictions are int32 class
 * indices of the labels' shape, or scores `[..., numClasses]` (argmax is taken); labels
 * are int32 (or bool). Any leading shape is flattened. Out-of-range indices throw
 * `ValueError`.
 * @example
 * const cm = metrics.confusionMatrix(jt.array([0, 1, 1], { dtype: 'int32' }),
 *   jt.array([0, 0, 1], { dtype: 'int32' }), { numClasses: 2 }); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  predictions: jt.Array,
  labels: jt.Array,
  options: ConfusionMatrixOptions,
): jt.Array {
  requireNumClasses('confusionMatrix', options.numClasses);
  const c = classIndices('confusionMatrix', predictions, labels, options.numClasses);
  return countPairs(c.predictions, c.labels, options.numClasses);
}
