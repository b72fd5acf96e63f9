import * as jt from '@jute/tensor';
import { type Dataset, type IterationContext, makeDataset, makeIndexedDataset } from './dataset';

/** Throws `ValueError` unless `n` is a non-negative integer. @example checkCount('take', 3) */
export const checkCount = (op: string, n: number): void => {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new jt.ValueError(`${op}: count must be a non-negative integer, got ${n}`);
};

/**
 * The first `n` elements (fewer if the dataset is shorter). Lazy: pulls no more than
 * `n` elements from upstream.
 * @example pipe(fromArrays({ x }), take(100))
 */
export function take(n: number) {
  checkCount('take', n);
  return <T>(ds: Dataset<T>): Dataset<T> => {
    const plan = ds.indexed;
    if (plan) {
      return makeIndexedDataset({
        table: plan.table,
        length: Math.min(n, plan.length),
        order: (ctx) => plan.order(ctx).slice(0, n),
      });
    }
    async function* start(ctx: IterationContext): AsyncGenerator<T> {
      if (n === 0) return;
      const it = ds.iterate(ctx);
      try {
        let taken = 0;
        for (let r = await it.next(); !r.done; r = await it.next()) {
          yield r.value;
          if (++taken >= n) return;
        }
      } finally {
        await it.return?.();
      }
    }
    return makeDataset(
      start,
      ds.cardinality === undefined ? undefined : Math.min(n, ds.cardinality),
    );
  };
}
