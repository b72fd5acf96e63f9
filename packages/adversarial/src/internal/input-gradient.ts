import { grad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as jt from '@jute/tensor';
import type { Model } from '../attack';

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
    const total = jt.sum(losses.sparseSoftmaxCrossEntropy(model(params, xx), y));
    return targeted ? jt.neg(total) : total;
  };
  return grad(objective)(x);
}
