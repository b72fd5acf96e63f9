import type * as jt from '@jute/tensor';
import { f1FromConfusion } from './from-confusion';
import { type ClassificationOptions, confusionFor } from './internal/classification';

/**
 * F1 score `2·tp / (2·tp + fp + fn)`, averaged as `options.average` says; inputs as in
 * `precision`. A class with neither support nor predictions scores 0 (and still counts
 * in the `'macro'` mean over all `numClasses` classes).
 * @example
 * metrics.f1(predictions, labels, { average: 'macro', numClasses: 10 });
 */
export const f1 = (
  predictions: jt.Array,
  labels: jt.Array,
  options: ClassificationOptions,
): jt.Array => f1FromConfusion(confusionFor('f1', predictions, labels, options), options);
