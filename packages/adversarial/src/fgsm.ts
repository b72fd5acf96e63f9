import type { Attack, AttackOptions, Model } from './attack';
import { pgdAttack } from './pgd';

/**
 * The fast gradient sign method (Goodfellow et al., 2015): one step of length ε along
 * the sign of the input gradient of the loss, `x + ε·sign(∇ₓL)`, clipped to the input
 * range. With `norm: 'l2'` it is the fast gradient method, `x + ε·∇ₓL / ‖∇ₓL‖₂`. It is
 * exactly one step of {@link pgd} without a random start and with step size ε.
 * @example
 * const attack = adv.fgsm(model, { eps: 0.1 });
 * const xAdv = attack(params, images, labels);
 */
export function fgsm<P>(model: Model<P>, options: AttackOptions): Attack<P> {
  // stepSize must be > 0 for pgd; with eps = 0 every step is projected back onto x anyway.
  const stepSize = options.eps > 0 ? options.eps : 1;
  return pgdAttack('fgsm', model, { ...options, steps: 1, stepSize, randomStart: false });
}
