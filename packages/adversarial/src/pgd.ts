import * as jt from '@jute/tensor';
import type { Attack, AttackOptions, Model } from './attack';
import { project, randomInBall, steepestDirection } from './internal/geometry';
import { inputGradient } from './internal/input-gradient';
import { checkBatch, threatModel } from './internal/validate';

/**
 * Options of {@link pgd}.
 * @example const o: PgdOptions = { eps: 0.1, steps: 20, stepSize: 0.01 };
 */
export interface PgdOptions extends AttackOptions {
  /** Number of gradient steps (a positive integer). */
  readonly steps: number;
  /** Length α of each step (in the attack's norm); `2.5·ε / steps` is a common choice. */
  readonly stepSize: number;
  /**
   * Start from a uniform random point of the ε-ball (Madry et al.) rather than from the
   * input itself. Default `true`; the attack then needs a `key`.
   */
  readonly randomStart?: boolean;
}

/**
 * Projected gradient descent (Madry et al., 2018): from `x` (or a random point of the
 * ε-ball around it), repeat `steps` times: move `stepSize` along the steepest-ascent
 * direction of the loss (the gradient's sign under L∞, the normalised gradient under
 * L2), then project back onto the ε-ball and the valid input range. Batched: every
 * example has its own ball and its own gradient.
 * @example
 * const attack = adv.pgd(model, { eps: 0.1, steps: 20, stepSize: 0.01 });
 * const xAdv = attack(params, images, labels, jt.random.key(0));
 * adv.pgd(model, { eps: 1.5, norm: 'l2', steps: 10, stepSize: 0.3, targeted: true });
 */
export function pgd<P>(model: Model<P>, options: PgdOptions): Attack<P> {
  return pgdAttack('pgd', model, options);
}

/** {@link pgd}, with errors naming `fn` (the attacks built on it). */
export function pgdAttack<P>(fn: string, model: Model<P>, options: PgdOptions): Attack<P> {
  const t = threatModel(fn, options);
  const { steps, stepSize } = options;
  if (!(Number.isSafeInteger(steps) && steps >= 1))
    throw new jt.ValueError(`${fn}: steps must be a positive integer, got ${steps}`);
  if (!(Number.isFinite(stepSize) && stepSize > 0))
    throw new jt.ValueError(`${fn}: stepSize must be a finite number > 0, got ${stepSize}`);
  const randomStart = options.randomStart ?? true;
  return (params, x, y, key) => {
    checkBatch(fn, x, y);
    let xa = x;
    if (randomStart) {
      if (key === undefined)
        throw new jt.ValueError(`${fn}: randomStart needs a key (attack(params, x, y, key))`);
      xa = project(jt.add(x, randomInBall(key, x, t.eps, t.norm)), x, t.eps, t.norm, t.range);
    }
    for (let i = 0; i < steps; i++) {
      const g = inputGradient(model, params, xa, y, t.targeted);
      const stepped = jt.add(xa, jt.mul(steepestDirection(g, t.norm), stepSize));
      xa = project(stepped, x, t.eps, t.norm, t.range);
    }
    return xa;
  };
}
