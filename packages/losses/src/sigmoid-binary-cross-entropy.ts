import * as jt from '@jute/tensor';
import { softplus } from './internal/stable-math';
import {
  castLike,
  meanLastAxis,
  requireFloat,
  requireInRange,
  requireSameShape,
} from './internal/validate';

/**
 * Binary cross-entropy on logits, `-(t·log σ(x) + (1 - t)·log(1 - σ(x)))`, computed as
 * `softplus(x) - t·x`: finite in value and gradient (`σ(x) - t`) for any finite logit.
 * Targets may be soft (in `[0, 1]`; others throw `ValueError`). Averaged over the last
 * axis for rank ≥ 2 inputs (multi-label: the mean over labels).
 * @example
 * losses.sigmoidBinaryCrossEntropy(jt.array([0, 1e4]), jt.array([1, 0])); // [0.6931, 10000]
 */
export function sigmoidBinaryCrossEntropy(logits: jt.Array, targets: jt.Array): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  logits = jt.asArray(logits);
  targets = jt.asArray(targets);
  const fn = 'sigmoidBinaryCrossEntropy';
  requireFloat(fn, 'logits', logits);
  requireSameShape(fn, 'logits', logits, 'targets', targets);
  requireInRange(fn, 'targets', targets, 0, 1);
  return meanLastAxis(jt.sub(softplus(logits), jt.mul(castLike(targets, logits), logits)));
}
