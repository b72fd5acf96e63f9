import type * as jt from '@jute/tensor';

/**
 * A differentiable classifier: parameters and a batch of inputs to logits
 * `[batch, classes]`. Any Jute model fits, e.g.
 * `(p, x) => model.apply(p, x, { state }).y` for an `@jute/nn` layer.
 * @example const model: Model<{ w: jt.Array }> = (p, x) => jt.matmul(x, p.w);
 */
export type Model<P> = (params: P, x: jt.Array) => jt.Array;

/**
 * An attack: perturbs a batch `x` of examples with integer labels `y` (the true classes,
 * or the target classes of a targeted attack) into adversarial inputs of the same shape.
 * Attacks with a random start need `key`; the others ignore it.
 * @example const xAdv = attack(params, x, y, jt.random.key(0));
 */
export type Attack<P> = (params: P, x: jt.Array, y: jt.Array, key?: jt.Array) => jt.Array;

/** The norm of the threat model: `'linf'` (‖δ‖∞ ≤ ε, each pixel moves at most ε) or `'l2'`. */
export type Norm = 'linf' | 'l2';

/**
 * The threat model and goal shared by every attack.
 * @example const o: AttackOptions = { eps: 0.1, norm: 'linf', range: [0, 1] };
 */
export interface AttackOptions {
  /** The radius ε of the ball around each input that the perturbation stays in (≥ 0). */
  readonly eps: number;
  /** `'linf'` (the default) or `'l2'`, measured per example over all its features. */
  readonly norm?: Norm;
  /**
   * The valid input range `[lo, hi]` every adversarial input is clipped to (pixels in
   * `[0, 1]` by default); `null` leaves inputs unbounded.
   */
  readonly range?: readonly [number, number] | null;
  /**
   * `false` (the default): `y` holds the true labels and the attack raises their loss.
   * `true`: `y` holds target classes and the attack lowers their loss, pulling each
   * prediction towards its target.
   */
  readonly targeted?: boolean;
}
