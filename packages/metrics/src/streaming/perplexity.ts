import * as jt from '@jute/tensor';
import { type MeanOptions, type MeanState, mean, meanUpdate } from './mean';
import type { StreamingMetric } from './streaming-metric';

/**
 * Streaming perplexity: a weighted mean of per-token cross-entropies (nats), exponentiated
 * at `compute` (1 before any token). Pass a 0/1 mask as weights to skip padding.
 * @example
 * const ppl = streaming.perplexity();
 * s = ppl.update(s, losses.sparseSoftmaxCrossEntropy(logits, tokens), mask);
 */
export function perplexity(
  options: MeanOptions = {},
): StreamingMetric<MeanState, [crossEntropies: jt.Array, weights?: jt.Array]> {
  const dtype = options.dtype ?? 'float32';
  const m = mean(options);
  return {
    init: m.init,
    update: (s, ce, weights) => meanUpdate('streaming.perplexity', dtype, s, ce, weights),
    merge: m.merge,
    compute: (s) => jt.exp(m.compute(s)),
  };
}
