import * as jt from '@jute/tensor';
import {
  castLike,
  meanLastAxis,
  requireFloat,
  requireInRange,
  requireSameShape,
} from './internal/validate';

/** Options of `binaryCrossEntropy`. */
export interface BinaryCrossEntropyOptions {
  /** Probabilities are clipped to `[eps, 1 - eps]` before the logarithms. Default 1e-7. */
  eps?: number;
}

/**
 * Binary cross-entropy on probabilities: `-(t·log p + (1 - t)·log(1 - p))`, with `p`
 * clipped to `[eps, 1 - eps]` (so the loss is at most about `-log eps` and the gradient
 * is zero beyond the clip); averaged over the last axis for rank ≥ 2 inputs.
 * Probabilities or targets outside `[0, 1]` throw `ValueError`. Prefer
 * `sigmoidBinaryCrossEntropy` on logits: it needs no clipping.
 * @example
 * losses.binaryCrossEntropy(jt.array([0.9, 0.2]), jt.array([1, 0])); // [0.1054, 0.2231]
 */
export function binaryCrossEntropy(
  probabilities: jt.Array,
  targets: jt.Array,
  options: BinaryCrossEntropyOptions = {},
): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  probabilities = jt.asArray(probabilities);
  targets = jt.asArray(targets);
  const fn = 'binaryCrossEntropy';
  const eps = options.eps ?? 1e-7;
  if (!(eps > 0 && eps < 0.5))
    throw new jt.ValueError(`${fn}: eps must lie in (0, 0.5), got ${eps}`);
  requireFloat(fn, 'probabilities', probabilities);
  requireSameShape(fn, 'probabilities', probabilities, 'targets', targets);
  requireInRange(fn, 'probabilities', probabilities, 0, 1);
  requireInRange(fn, 'targets', targets, 0, 1);
  const t = castLike(targets, probabilities);
  const p = jt.clip(probabilities, eps, 1 - eps);
  const ll = jt.add(jt.mul(t, jt.log(p)), jt.mul(jt.sub(1, t), jt.log(jt.sub(1, p))));
  return meanLastAxis(jt.neg(ll));
}
