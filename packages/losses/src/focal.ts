import * as jt from '@jute/tensor';
import { softplus } from './internal/stable-math';
import {
  castLike,
  meanLastAxis,
  requireFloat,
  requireInRange,
  requireSameShape,
} from './internal/validate';

/** Options of `focal`. */
export interface FocalOptions {
  /** Focusing parameter `γ ≥ 0`: larger values down-weight easy examples. Default 2; 0 gives plain BCE. */
  gamma?: number;
  /** Weight of positives `α ∈ [0, 1]` (negatives get `1 - α`); omitted: no class weighting (Optax's default). */
  alpha?: number;
}

/**
 * Sigmoid focal loss on logits (Lin et al., 2017):
 * `α_t · (1 - p_t)^γ · BCE(logits, t)` with `p = σ(logits)`, `p_t = p·t + (1 - p)·(1 - t)`.
 * `1 - p_t` is formed as `t·σ(-x) + (1 - t)·σ(x)` (no cancellation), and its power is
 * guarded at 0 so value and gradient stay finite for any finite logit and any `γ ≥ 0`.
 * Averaged over the last axis for rank ≥ 2 inputs; targets outside `[0, 1]` throw.
 * @example
 * losses.focal(logits, targets, { gamma: 2, alpha: 0.25 });
 */
export function focal(logits: jt.Array, targets: jt.Array, options: FocalOptions = {}): jt.Array {
  // Plain JS arrays and numbers are accepted, as by every op.
  logits = jt.asArray(logits);
  targets = jt.asArray(targets);
  const fn = 'focal';
  const gamma = options.gamma ?? 2;
  const alpha = options.alpha;
  if (!(gamma >= 0 && Number.isFinite(gamma)))
    throw new jt.ValueError(`${fn}: gamma must be a finite number ≥ 0, got ${gamma}`);
  if (alpha !== undefined && !(alpha >= 0 && alpha <= 1))
    throw new jt.ValueError(`${fn}: alpha must lie in [0, 1], got ${alpha}`);
  requireFloat(fn, 'logits', logits);
  requireSameShape(fn, 'logits', logits, 'targets', targets);
  requireInRange(fn, 'targets', targets, 0, 1);
  const t = castLike(targets, logits);
  let loss = jt.sub(softplus(logits), jt.mul(t, logits));
  if (gamma > 0) {
    const oneMinusPt = jt.add(
      jt.mul(t, jt.sigmoid(jt.neg(logits))),
      jt.mul(jt.sub(1, t), jt.sigmoid(logits)),
    );
    // (0)^γ has an infinite derivative for γ < 1; where 1 - p_t underflows to 0 the loss
    // itself is 0, so the factor and its gradient are taken as 0 there.
    const pos = jt.greater(oneMinusPt, 0);
    const modulating = jt.where(pos, jt.pow(jt.where(pos, oneMinusPt, 1), gamma), 0);
    loss = jt.mul(loss, modulating);
  }
  if (alpha !== undefined)
    loss = jt.mul(loss, jt.add(jt.mul(t, alpha), jt.mul(jt.sub(1, t), 1 - alpha)));
  return meanLastAxis(loss);
}
