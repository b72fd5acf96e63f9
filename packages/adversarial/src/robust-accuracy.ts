import * as jt from '@jute/tensor';
import type { Attack, Model } from './attack';

/** A labelled batch: inputs `[batch, ...]` and int32 labels `[batch]`. */
export interface LabelledBatch {
  readonly x: jt.Array;
  readonly y: jt.Array;
}

/**
 * Options of {@link robustAccuracy}.
 * @example const o: RobustAccuracyOptions = { key: jt.random.key(0) };
 */
export interface RobustAccuracyOptions {
  /** Key for attacks with a random start; batch `i` uses `foldIn(key, i)`. */
  readonly key?: jt.Array;
}

/**
 * What {@link robustAccuracy} measured.
 * @example const { clean, adversarial, count } = await adv.robustAccuracy(model, params, batches, attack);
 */
export interface RobustAccuracy {
  /** Accuracy on the unmodified inputs. */
  readonly clean: number;
  /** Accuracy on the attacked inputs: the share of examples the attack failed to flip. */
  readonly adversarial: number;
  /** How many examples were evaluated. */
  readonly count: number;
}

const correct = (logits: jt.Array, y: jt.Array): number =>
  Number(jt.sum(jt.equal(jt.argmax(logits, { axis: -1 }), y)).item());

/**
 * Clean and adversarial accuracy of `model` over labelled batches (an array of batches,
 * or any sync or async iterable of them, such as an `@jute/data` dataset after `batch`).
 * The attack should be untargeted: it gets the true labels.
 * @example
 * const attack = adv.pgd(model, { eps: 0.1, steps: 20, stepSize: 0.01 });
 * const r = await adv.robustAccuracy(model, params, [{ x: images, y: labels }], attack, {
 *   key: jt.random.key(0),
 * });
 * console.log(r.clean, r.adversarial);
 */
export async function robustAccuracy<P>(
  model: Model<P>,
  params: P,
  batches: Iterable<LabelledBatch> | AsyncIterable<LabelledBatch>,
  attack: Attack<P>,
  options: RobustAccuracyOptions = {},
): Promise<RobustAccuracy> {
  let [clean, adversarial, count, i] = [0, 0, 0, 0];
  for await (const { x, y } of batches) {
    const key = options.key === undefined ? undefined : jt.random.foldIn(options.key, i);
    const xAdv = attack(params, x, y, key);
    clean += correct(model(params, x), y);
    adversarial += correct(model(params, xAdv), y);
    count += y.shape[0]!;
    i++;
  }
  if (count === 0) throw new jt.ValueError('robustAccuracy: no examples in the batches');
  return { clean: clean / count, adversarial: adversarial / count, count };
}
