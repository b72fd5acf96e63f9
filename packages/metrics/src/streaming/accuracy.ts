import type * as jt from '@jute/tensor';
import { accuracyCounts } from '../internal/counts';
import {
  type CounterState,
  counterAdd,
  counterInit,
  counterMerge,
  counterRatio,
} from './counter-state';
import type { StreamingMetric } from './streaming-metric';

/**
 * Streaming accuracy: counts correct predictions and examples over batches. Inputs as in
 * the one-shot `accuracy`.
 * @example
 * const acc = streaming.accuracy();
 * let s = acc.init();
 * for (const { logits, labels } of batches) s = acc.update(s, logits, labels);
 * acc.compute(s).item();
 */
export const accuracy = (): StreamingMetric<CounterState> => ({
  init: counterInit,
  update: (s, predictions: jt.Array, labels: jt.Array) =>
    counterAdd(s, accuracyCounts('streaming.accuracy', predictions, labels)),
  merge: counterMerge,
  compute: counterRatio,
});
