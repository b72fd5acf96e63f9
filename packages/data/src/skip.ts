import { type Dataset, type IterationContext, makeDataset, makeIndexedDataset } from './dataset';
import { checkCount } from './take';

/**
 * All but the first `n` elements. On random-access datasets the skipped examples are
 * never built.
 * @example pipe(fromArrays({ x }), skip(100))
 */
export function skip(n: number) {
  checkCount('skip', n);
  return <T>(ds: Dataset<T>): Dataset<T> => {
    const plan = ds.indexed;
    if (plan) {
      return makeIndexedDataset({
        table: plan.table,
        length: Math.max(0, plan.length - n),
        order: (ctx) => plan.order(ctx).slice(n),
      });
    }
    async function* start(ctx: IterationContext): AsyncGenerator<T> {
      const it = ds.iterate(ctx);
      try {
        let seen = 0;
        for (let r = await it.next(); !r.done; r = await it.next()) {
          if (seen++ >= n) yield r.value;
        }
      } finally {
        await it.return?.();
      }
    }
    const c = ds.cardinality;
    return makeDataset(start, c === undefined ? undefined : Math.max(0, c - n));
  };
}
