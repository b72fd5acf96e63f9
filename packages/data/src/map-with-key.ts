import * as jt from '@jute/tensor';
import { type Dataset, type IterationContext, isPromiseLike, makeDataset } from './dataset';

/**
 * The key of element `index` in a pass: `key` folded with the epoch, each enclosing
 * repetition index, then the element's position in the pass.
 * @example elementKey(key, { epoch: 2, repeats: [] }, 5)
 */
export function elementKey(key: jt.Array, ctx: IterationContext, index: number): jt.Array {
  let k = jt.random.foldIn(key, ctx.epoch);
  for (const r of ctx.repeats) k = jt.random.foldIn(k, r);
  return jt.random.foldIn(k, index);
}

/**
 * Like {@link map}, for random functions: `f` also gets a PRNG key of its own for every
 * element, derived from `key`, the epoch and the element's position in the pass (see
 * {@link elementKey}). Passes are reproducible (the same epoch gives the same keys), and
 * each epoch draws new ones. Apply it after `batch` to augment whole batches with one
 * call (the transforms split a batch's key per example).
 * @example
 * const train = pipe(
 *   fromArrays({ x: images, y: labels }),
 *   shuffle(k1),
 *   batch(64),
 *   mapWithKey(k2, ({ x, y }, key) => ({ x: randomTranslate({ maxShift: 2 })(key, x), y })),
 * );
 */
export const mapWithKey =
  <T, U>(key: jt.Array, f: (x: T, key: jt.Array, index: number) => U | PromiseLike<U>) =>
  (ds: Dataset<T>): Dataset<U> => {
    async function* start(ctx: IterationContext): AsyncGenerator<U> {
      const it = ds.iterate(ctx);
      let i = 0;
      try {
        for (let r = await it.next(); !r.done; r = await it.next(), i++) {
          const y = f(r.value, elementKey(key, ctx, i), i);
          yield isPromiseLike(y) ? await y : y;
        }
      } finally {
        await it.return?.();
      }
    }
    return makeDataset(start, ds.cardinality);
  };
