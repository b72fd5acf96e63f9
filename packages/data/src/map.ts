import { type Dataset, type IterationContext, isPromiseLike, makeDataset } from './dataset';

/**
 * Applies `f` to every element, lazily (sync or async `f`). Runs once per element per
 * pass, so keep it cheap or map after `batch`.
 * @example pipe(ds, map(({ x, y }) => ({ x: x.div(255), y })))
 */
export const map =
  <T, U>(f: (x: T) => U | PromiseLike<U>) =>
  (ds: Dataset<T>): Dataset<U> => {
    async function* start(ctx: IterationContext): AsyncGenerator<U> {
      const it = ds.iterate(ctx);
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) {
          const y = f(r.value);
          yield isPromiseLike(y) ? await y : y;
        }
      } finally {
        await it.return?.();
      }
    }
    return makeDataset(start, ds.cardinality);
  };
