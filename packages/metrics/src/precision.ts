import type * as jt from '@jute/tensor';
import { precisionFromConfusion } from './from-confusion';
import { type ClassificationOptions, confusionFor } from './internal/classification';

/**
 * Precision `tp / (tp + fp)`, averaged as `options.average` says. Predictions are int32
 * class indices of the labels' shape, or scores `[..., numClasses]` (argmax is taken).
 * A class that is never predicted has precision 0 (sklearn's `zero_division=0`), so
 * nothing divides by zero.
 * @example
 * metrics.precision(logits, labels, { average: 'macro', numClasses: 10 });
 * metrics.precision(predictedIds, labels, { average: 'binary' }); // class 1 vs class 0
 */
export const precision = (
  predictions: jt.Array,
  labels: jt.Array,
  options: ClassificationOptions,
): jt.Array =>
  precisionFromConfusion(confusionFor('precision', predictions, labels, options), options);
