import * as jt from '@jute/tensor';

/**
 * Perplexity `exp(cross-entropy)` from a cross-entropy in nats: pass the mean (a
 * scalar), or per-token cross-entropies, which are averaged first (for base-2
 * cross-entropies, multiply by `ln 2` first).
 * @example
 * const ce = jt.mean(losses.sparseSoftmaxCrossEntropy(logits, tokens));
 * metrics.perplexity(ce);
 */
export function perplexity(crossEntropy: jt.Array | number): jt.Array {
  const x = typeof crossEntropy === 'number' ? jt.array(crossEntropy) : crossEntropy;
  if (!jt.isFloat(x.dtype))
    throw new jt.DTypeError(
      `perplexity: cross-entropy must be float, got ${x.dtype}${jt.fmtShape(x.shape)}`,
    );
  if (x.size === 0) throw new jt.ShapeError('perplexity: cross-entropy is empty');
  return jt.exp(jt.mean(x));
}
