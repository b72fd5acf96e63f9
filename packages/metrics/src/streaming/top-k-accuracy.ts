import type * as jt from '@jute/tensor';
import { requireK, topKCounts } from '../internal/counts';
import type { TopKAccuracyOptions } from '../top-k-accuracy';
import {
  type CounterState,
  counterAdd,
  counterInit,
  counterMerge,
  counterRatio,
} from './counter-state';
import type { StreamingMetric } from './streaming-metric';

/**
 * Streaming top-k accuracy (same conventions as the one-shot `topKAccuracy`).
 * @example
 * const top5 = streaming.topKAccuracy({ k: 5 });
 * s = top5.update(s, logits, labels);
 */
export function topKAccuracy(options: TopKAccuracyOptions = {}): StreamingMetric<CounterState> {
  const k = options.k ?? 5;
  requireK('streaming.topKAccuracy', k);
  return {
    init: counterInit,
    update: (s, scores: jt.Array, labels: jt.Array) =>
      counterAdd(s, topKCounts('streaming.topKAccuracy', scores, labels, k)),
    merge: counterMerge,
    compute: counterRatio,
  };
}
