import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import type { Model } from '../attack';

/**
 * The cross-entropy of class `y`, `logsumexp(z) − z_y`, written as
 * `softplus(logsumexp_{k≠y}(z_k − z_y))`: the same value, but a gradient that survives
 * confident predictions. The usual form's logit cotangent is `softmax(z) − onehot(y)`,
 * whose y entry `p_y − 1` is 0 in floating point once `p_y` rounds to 1 (a logit gap above
 * ~17 in float32, ~37 in float64): the attack would then only push the other logits up and
 * never pull `z_y` down. Here `z_y` gets `−σ(t)·Σ_{k≠y} softmax_{k≠y}`, with no cancellation.
 */
export function attackCrossEntropy(logits: jt.Array, y: jt.Array): jt.Array {
  const k = logits.shape[logits.ndim - 1]!;
  const isY = jt.equal(jt.expandDims(y, -1), jt.arange(k));
  const zy = jt.sum(jt.where(isY, logits, 0), { axis: -1, keepdims: true });
  const others = jt.where(isY, Number.NEGATIVE_INFINITY, jt.sub(logits, zy));
  return jt.softplus(jt.logsumexp(others, { axis: -1 }));
}

/**
 * The gradient, with respect to the inputs, of the objective an attack ascends: the
 * cross-entropy of the true labels (untargeted), or minus that of the targets
 * (targeted). The per-example losses are summed, not averaged, so that each example's
 * gradient is its own loss's gradient whatever the batch size.
 */
export function inputGradient<P>(
  model: Model<P>,
  params: P,
  x: jt.Array,
  y: jt.Array,
  targeted: boolean,
): jt.Array {
  const objective = (xx: jt.Array): jt.Array => {
    const total = jt.sum(attackCrossEntropy(model(params, xx), y));
    return targeted ? jt.neg(total) : total;
  };
  return grad(objective)(x);
}
