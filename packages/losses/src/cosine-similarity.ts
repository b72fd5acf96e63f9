import * as jt from '@jute/tensor';
import { castLike, requireFloat, requireRank, requireSameShape } from './internal/validate';

/** Options of `cosineSimilarity`. */
export interface CosineSimilarityOptions {
  /** Norms below `eps` count as `eps`, so a zero vector has cosine 0 instead of NaN. Default 1e-8. */
  eps?: number;
}

/** `x / ‖x‖` over the last axis, pre-scaled by the largest |entry| so squares cannot overflow. */
function unit(x: jt.Array, eps: number): jt.Array {
  // Cosine is scale invariant, so dividing by a constant (gradient-free) scale is exact.
  const m = jt.stopGradient(jt.max(jt.abs(x), { axis: -1, keepdims: true }));
  const y = jt.div(x, jt.where(jt.logicalAnd(jt.greater(m, 0), jt.isFinite(m)), m, 1));
  const sq = jt.sum(jt.square(y), { axis: -1, keepdims: true });
  return jt.div(y, jt.sqrt(jt.maximum(sq, eps * eps)));
}

/**
 * Cosine distance as a loss: `1 - cos(predictions, targets)` over the last axis, in
 * `[0, 2]`. Returns shape `predictions.shape[:-1]`. Zero vectors have cosine 0 (loss 1).
 * @example
 * losses.cosineSimilarity(jt.array([[1, 0], [1, 1]]), jt.array([[1, 0], [-1, -1]])); // [0, 2]
 */
export function cosineSimilarity(
  predictions: jt.Array,
  targets: jt.Array,
  options: CosineSimilarityOptions = {},
): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  predictions = jt.asArray(predictions);
  targets = jt.asArray(targets);
  const fn = 'cosineSimilarity';
  const eps = options.eps ?? 1e-8;
  if (!(eps > 0)) throw new jt.ValueError(`${fn}: eps must be positive, got ${eps}`);
  requireFloat(fn, 'predictions', predictions);
  requireRank(fn, 'predictions', predictions, 1);
  requireSameShape(fn, 'predictions', predictions, 'targets', targets);
  const cos = jt.sum(jt.mul(unit(predictions, eps), unit(castLike(targets, predictions), eps)), {
    axis: -1,
  });
  return jt.sub(1, cos);
}
