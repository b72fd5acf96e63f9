import { type Dataset, type IterationContext, makeDataset, makeIndexedDataset } from './dataset';
import { checkCount } from './take';

const nested = (ctx: IterationContext, r: number): IterationContext => ({
  epoch: ctx.epoch,
  repeats: [...ctx.repeats, r],
});

/**
 * Repeats the dataset `count` times (forever when omitted). Each repetition is a new
 * pass whose index is folded into upstream shuffle keys, so a shuffled dataset is
 * reshuffled on every repetition, reproducibly.
 * @example pipe(fromArrays({ x, y }), shuffle(key), repeat(), batch(32), take(1000))
 */
export function repeat(count?: number) {
  if (count !== undefined) checkCount('repeat', count);
  return <T>(ds: Dataset<T>): Dataset<T> => {
    const plan = ds.indexed;
    if (plan && count !== undefined) {
      return makeIndexedDataset({
        table: plan.table,
        length: plan.length * count,
        order: (ctx) => {
          const out = new Int32Array(plan.length * count);
          for (let r = 0; r < count; r++) out.set(plan.order(nested(ctx, r)), r * plan.length);
          return out;
        },
      });
    }
    async function* start(ctx: IterationContext): AsyncGenerator<T> {
      for (let r = 0; count === undefined || r < count; r++) {
        let yielded = false;
        const it = ds.iterate(nested(ctx, r));
        try {
          for (let x = await it.next(); !x.done; x = await it.next()) {
            yielded = true;
            yield x.value;
          }
        } finally {
          await it.return?.();
        }
        // An empty dataset repeated forever would spin without yielding.
        if (!yielded) return;
      }
    }
    const c = ds.cardinality;
    const card =
      count === undefined
        ? c === 0
          ? 0
          : Number.POSITIVE_INFINITY
        : c === undefined
          ? undefined
          : c * count;
    return makeDataset(start, card);
  };
}
