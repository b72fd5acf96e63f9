import * as jt from '@jute/tensor';
import { accuracyCounts } from './internal/counts';
import { safeDiv } from './internal/validate';

/**
 * Fraction of predictions equal to the labels (float32 scalar; 0 for an empty batch).
 * Predictions are int32 class indices of the labels' shape, or scores
 * `[..., numClasses]` whose argmax is taken (first index on ties).
 * @example
 * metrics.accuracy(logits, labels); // logits [batch, 10], labels int32 [batch]
 */
export function accuracy(predictions: jt.Array, labels: jt.Array): jt.Array {
  const [correct, count] = accuracyCounts('accuracy', predictions, labels);
  return safeDiv(jt.cast(correct, 'float32'), jt.cast(count, 'float32'));
}
