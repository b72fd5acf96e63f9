import * as jt from '@jute/tensor';
import { r2FromSums } from './internal/r2';
import { regressionPair } from './internal/validate';

/**
 * Coefficient of determination `1 - Σ(t - p)² / Σ(t - mean t)²`. Targets `[batch]` give
 * one score; `[batch, outputs]` give one per output, averaged uniformly (sklearn's
 * `'uniform_average'`). A constant target scores 1 if predicted exactly, else 0 (no
 * division by zero).
 * @example
 * metrics.r2Score(jt.array([2.5, 0, 2, 8]), jt.array([3, -0.5, 2, 7])); // 0.9486
 */
export function r2Score(predictions: jt.Array, targets: jt.Array): jt.Array {
  const [p, t] = regressionPair('r2Score', predictions, targets);
  if (t.ndim < 1 || t.ndim > 2) {
    throw new jt.ShapeError(
      `r2Score: targets must be [batch] or [batch, outputs], got ${jt.fmtShape(t.shape)}`,
    );
  }
  const sse = jt.sum(jt.square(jt.sub(t, p)), { axis: 0 });
  const centered = t.shape[0] === 0 ? t : jt.sub(t, jt.mean(t, { axis: 0, keepdims: true }));
  return r2FromSums(sse, jt.sum(jt.square(centered), { axis: 0 }));
}
