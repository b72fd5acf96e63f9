import type { GradientTransformation } from '../gradient-transformation';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { chain } from '../transforms/chain';
import { trace } from '../transforms/trace';
import { descend } from './learning-rate';

/** Options of `sgd`. */
export interface SgdOptions {
  learningRate: ScalarOrSchedule;
  /** Momentum coefficient; no momentum buffer when left out. */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum:
 * `p -= lr * g`, or with momentum `t = g + μ t; p -= lr * t` (`p -= lr * (g + μ t)` for Nesterov).
 * @example const opt = optim.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 */
export function sgd(options: SgdOptions): GradientTransformation {
  const lr = descend('sgd', options?.learningRate);
  if (options.momentum === undefined) return chain(lr);
  return chain(trace({ decay: options.momentum, nesterov: options.nesterov ?? false }), lr);
}
