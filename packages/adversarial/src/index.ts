/**
 * `@jute/adversarial`: adversarial examples and robustness. FGSM and PGD (L∞ and L2,
 * random start, targeted or untargeted) on any differentiable `(params, x) → logits`,
 * clean vs adversarial accuracy, and the adversarial-training loss.
 * @packageDocumentation
 */
export { type AdversarialLossOptions, adversarialLoss } from './adversarial-loss';
export type { Attack, AttackOptions, Model, Norm } from './attack';
export { fgsm } from './fgsm';
export { type PgdOptions, pgd } from './pgd';
export {
  type LabelledBatch,
  type RobustAccuracy,
  type RobustAccuracyOptions,
  robustAccuracy,
} from './robust-accuracy';
