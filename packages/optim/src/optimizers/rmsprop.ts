import type { GradientTransformation } from '../gradient-transformation';
import type { ScalarOrSchedule } from '../schedules/schedule';
import { chain } from '../transforms/chain';
import { scaleByRms } from '../transforms/scale-by-rms';
import { scaleByStddev } from '../transforms/scale-by-stddev';
import { trace } from '../transforms/trace';
import { descend } from './learning-rate';

/** Options of `rmsprop`. */
export interface RmspropOptions {
  learningRate: ScalarOrSchedule;
  /** Decay of the mean square (default 0.9). */
  decay?: number;
  /** Stabilizer inside the root (default 1e-8). */
  eps?: number;
  /** Initial mean square (default 0). */
  initialScale?: number;
  /** Divide by the standard deviation instead of the root mean square (default false). */
  centered?: boolean;
  /** Momentum on the rescaled step; none when left out. */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * RMSProp: `p -= lr * g / sqrt(E[g²] + eps)`, optionally centered and with momentum.
 * @example const opt = optim.rmsprop({ learningRate: 1e-3, decay: 0.9 });
 */
export function rmsprop(options: RmspropOptions): GradientTransformation {
  const lr = descend('rmsprop', options?.learningRate);
  const stats = {
    decay: options.decay ?? 0.9,
    eps: options.eps ?? 1e-8,
    initialScale: options.initialScale ?? 0,
  };
  const rescale = options.centered ? scaleByStddev(stats) : scaleByRms(stats);
  if (options.momentum === undefined) return chain(rescale, lr);
  return chain(
    rescale,
    lr,
    trace({ decay: options.momentum, nesterov: options.nesterov ?? false }),
  );
}
