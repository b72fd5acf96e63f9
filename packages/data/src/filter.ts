import { type Dataset, type IterationContext, isPromiseLike, makeDataset } from './dataset';

/**
 * Keeps the elements for which `predicate` holds, lazily. The cardinality becomes
 * unknown (or stays `Infinity`).
 * @example pipe(ds, filter(({ y }) => y.item() !== 0))
 */
export function filter<T, S extends T>(predicate: (x: T) => x is S): (ds: Dataset<T>) => Dataset<S>;
export function filter<T>(
  predicate: (x: T) => boolean | PromiseLike<boolean>,
): (ds: Dataset<T>) => Dataset<T>;
export function filter<T>(predicate: (x: T) => boolean | PromiseLike<boolean>) {
  return (ds: Dataset<T>): Dataset<T> => {
    async function* start(ctx: IterationContext): AsyncGenerator<T> {
      const it = ds.iterate(ctx);
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) {
          const keep = predicate(r.value);
          if (isPromiseLike(keep) ? await keep : keep) yield r.value;
        }
      } finally {
        await it.return?.();
      }
    }
    return makeDataset(
      start,
      ds.cardinality === Number.POSITIVE_INFINITY ? ds.cardinality : undefined,
    );
  };
}
