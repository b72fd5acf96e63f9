import * as jt from '@jute/tensor';
import type { AverageOptions } from '../from-confusion';
import { countPairs } from './count-pairs';
import { classIndices, requireClassRange, requireNumClasses } from './validate';

/** Options of the one-shot precision, recall and F1. */
export interface ClassificationOptions extends AverageOptions {
  /**
   * Number of classes. Optional when predictions are scores (their class axis) or when
   * `average` is `'binary'` (then 2); required otherwise.
   */
  numClasses?: number;
}

/** Resolves the number of classes and builds the confusion matrix for a one-shot metric. */
export function confusionFor(
  fn: string,
  predictions: jt.Array,
  labels: jt.Array,
  options: ClassificationOptions,
): jt.Array {
  const c = classIndices(fn, predictions, labels, options.numClasses);
  let k = options.numClasses ?? c.scoreClasses;
  if (k === undefined) {
    if (options.average !== 'binary') {
      throw new jt.ValueError(
        `${fn}: numClasses is required for average '${options.average}' when predictions are class indices`,
      );
    }
    k = Math.max(2, (options.positiveLabel ?? 1) + 1);
    requireNumClasses(fn, k);
    requireClassRange(fn, 'label', c.labels, k);
    requireClassRange(fn, 'prediction', c.predictions, k);
  }
  return countPairs(c.predictions, c.labels, k);
}
