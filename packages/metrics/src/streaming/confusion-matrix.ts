import * as jt from '@jute/tensor';
import type { ConfusionMatrixOptions } from '../confusion-matrix';
import { countPairs } from '../internal/count-pairs';
import { classIndices, requireNumClasses } from '../internal/validate';
import type { StreamingMetric } from './streaming-metric';

/**
 * Builds a metric whose state is the int32 `[K, K]` confusion matrix (rows true labels,
 * columns predictions) and whose result is `result(matrix)`.
 */
export function confusionBased<R>(
  fn: string,
  numClasses: number,
  result: (cm: jt.Array) => R,
): StreamingMetric<jt.Array, [predictions: jt.Array, labels: jt.Array], R> {
  requireNumClasses(fn, numClasses);
  return {
    init: () => jt.zeros([numClasses, numClasses], { dtype: 'int32' }),
    update: (cm, predictions, labels) => {
      const c = classIndices(fn, predictions, labels, numClasses);
      return jt.add(cm, countPairs(c.predictions, c.labels, numClasses));
    },
    merge: (a, b) => jt.add(a, b),
    compute: result,
  };
}

/**
 * Streaming confusion matrix; `compute` returns the matrix, from which
 * `accuracyFromConfusion`, `precisionFromConfusion`, `recallFromConfusion` and
 * `f1FromConfusion` give every epoch-level classification score.
 * @example
 * const cmMetric = streaming.confusionMatrix({ numClasses: 10 });
 * let s = cmMetric.init();
 * for (const { logits, labels } of batches) s = cmMetric.update(s, logits, labels);
 * const cm = cmMetric.compute(s);
 * metrics.f1FromConfusion(cm, { average: 'macro' });
 */
export const confusionMatrix = (options: ConfusionMatrixOptions): StreamingMetric<jt.Array> =>
  confusionBased('streaming.confusionMatrix', options.numClasses, (cm) => cm);
