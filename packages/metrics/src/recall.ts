import type * as jt from '@jute/tensor';
import { recallFromConfusion } from './from-confusion';
import { type ClassificationOptions, confusionFor } from './internal/classification';

/**
 * Recall `tp / (tp + fn)`, averaged as `options.average` says; inputs as in `precision`.
 * A class with no support (absent from the labels) has recall 0.
 * @example
 * metrics.recall(logits, labels, { average: 'weighted', numClasses: 10 });
 */
export const recall = (
  predictions: jt.Array,
  labels: jt.Array,
  options: ClassificationOptions,
): jt.Array => recallFromConfusion(confusionFor('recall', predictions, labels, options), options);
