import * as losses from '@jute/losses';
import * as jt from '@jute/tensor';
import type { Attack, Model } from './attack';

/**
 * Options of {@link adversarialLoss}.
 * @example const o: AdversarialLossOptions = { cleanWeight: 0.5 };
 */
export interface AdversarialLossOptions {
  /**
   * Weight λ of the clean loss in `λ·L(x) + (1 − λ)·L(x_adv)`, in `[0, 1]`. Default 0:
   * Madry's adversarial training, on attacked examples only. 0.5 is Goodfellow's mix.
   */
  readonly cleanWeight?: number;
}

/**
 * The adversarial-training objective (Madry et al.'s min–max): the mean cross-entropy
 * of `model` on the inputs `attack` finds, optionally mixed with the clean loss. The
 * attack (the inner max) runs on stopped parameters and its result is a constant, so
 * the gradient with respect to `params` is the outer min's only (Danskin's theorem),
 * and the attack adds no work to the backward pass. Plug it into any Optax-style step.
 * @example
 * const attack = adv.pgd(evalModel, { eps: 0.1, steps: 7, stepSize: 0.025 });
 * const loss = adv.adversarialLoss(model, attack, { cleanWeight: 0.5 });
 * const [value, grads] = valueAndGrad(loss)(params, x, y, key);
 * const [updates, optState2] = opt.update(grads, optState, params);
 */
export function adversarialLoss<P>(
  model: Model<P>,
  attack: Attack<P>,
  options: AdversarialLossOptions = {},
): (params: P, x: jt.Array, y: jt.Array, key?: jt.Array) => jt.Array {
  const w = options.cleanWeight ?? 0;
  if (!(w >= 0 && w <= 1))
    throw new jt.ValueError(`adversarialLoss: cleanWeight must lie in [0, 1], got ${w}`);
  const meanLoss = (params: P, x: jt.Array, y: jt.Array) =>
    jt.mean(losses.sparseSoftmaxCrossEntropy(model(params, x), y));
  return (params, x, y, key) => {
    const fixed = jt.tree.map((leaf: jt.Array) => jt.stopGradient(leaf), params) as unknown as P;
    const xAdv = jt.stopGradient(attack(fixed, jt.stopGradient(x), y, key));
    const robust = meanLoss(params, xAdv, y);
    if (w === 0) return robust;
    return jt.add(jt.mul(meanLoss(params, x, y), w), jt.mul(robust, 1 - w));
  };
}
