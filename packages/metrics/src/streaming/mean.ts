import * as jt from '@jute/tensor';
import { safeDiv } from '../internal/validate';
import type { StreamingMetric } from './streaming-metric';

/** Weighted running sum and total weight. */
export interface MeanState {
  readonly total: jt.Array;
  readonly weight: jt.Array;
}

/** Options of `streaming.mean` and `streaming.perplexity`. */
export interface MeanOptions {
  /** Dtype of the state (fixed, so the state keeps its structure across updates). Default float32. */
  dtype?: 'float32' | 'float64';
}

/** The update of `mean`, shared with `perplexity`. */
export function meanUpdate(
  fn: string,
  dtype: jt.DType,
  s: MeanState,
  values: jt.Array,
  weights?: jt.Array,
): MeanState {
  const v = jt.cast(values, dtype);
  if (weights === undefined) {
    return { total: jt.add(s.total, jt.sum(v)), weight: jt.add(s.weight, v.size) };
  }
  let w: jt.Array;
  try {
    w = jt.broadcastTo(jt.cast(weights, dtype), v.shape);
  } catch {
    throw new jt.ShapeError(
      `${fn}: weights ${jt.fmtShape(weights.shape)} do not broadcast to values ${jt.fmtShape(values.shape)}`,
    );
  }
  return { total: jt.add(s.total, jt.sum(jt.mul(v, w))), weight: jt.add(s.weight, jt.sum(w)) };
}

/**
 * Streaming (weighted) mean of any values, e.g. per-example losses: `update(state,
 * values, weights?)` adds `Σ values·weights` and `Σ weights` (weights broadcast to the
 * values; default 1 each). `compute` is the ratio, 0 before any weight.
 * @example
 * const avgLoss = streaming.mean();
 * let s = avgLoss.init();
 * s = avgLoss.update(s, losses.sparseSoftmaxCrossEntropy(logits, labels));
 * avgLoss.compute(s).item();
 */
export function mean(
  options: MeanOptions = {},
): StreamingMetric<MeanState, [values: jt.Array, weights?: jt.Array]> {
  const dtype = options.dtype ?? 'float32';
  return {
    init: () => ({ total: jt.zeros([], { dtype }), weight: jt.zeros([], { dtype }) }),
    update: (s, values, weights) => meanUpdate('streaming.mean', dtype, s, values, weights),
    merge: (a, b) => ({ total: jt.add(a.total, b.total), weight: jt.add(a.weight, b.weight) }),
    compute: (s) => safeDiv(s.total, s.weight),
  };
}
