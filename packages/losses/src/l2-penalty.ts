import * as jt from '@jute/tensor';
import { sumOverLeaves } from './internal/penalty';

/**
 * L2 penalty `0.5 · Σ w²` over every leaf of a parameter pytree, as a scalar. The `0.5`
 * (Optax's `l2_loss` convention; Keras' `l2(λ)` has none, so its gradient is `2λw`)
 * makes the gradient exactly `w`: adding `λ · l2Penalty(params)` to a loss is the same as
 * SGD's `weightDecay: λ` (not Adam's decoupled weight decay, which bypasses the moments).
 * Non-float leaves throw `DTypeError`.
 * @example
 * const loss = jt.add(dataLoss, jt.mul(losses.l2Penalty(params), 1e-4));
 */
export const l2Penalty = (params: unknown): jt.Array =>
  sumOverLeaves('l2Penalty', params, (w) => jt.mul(jt.square(w), 0.5));
