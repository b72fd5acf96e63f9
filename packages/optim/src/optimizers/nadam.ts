import type { GradientTransformation } from '../gradient-transformation';
import { type AdamOptions, adam } from './adam';

/**
 * NAdam: Adam with Nesterov momentum (the next step's first moment looks ahead).
 * @example const opt = optim.nadam({ learningRate: 2e-3 });
 */
export function nadam(options: Omit<AdamOptions, 'nesterov'>): GradientTransformation {
  return adam({ ...options, nesterov: true });
}
