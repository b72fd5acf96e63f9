import { ValueError } from '@jute/tensor';
import { type Dataset, type IterationContext, makeDataset, makeIndexedDataset } from './dataset';

/**
 * The dataset as iterated in epoch `i`: every `shuffle` upstream folds `i` into its
 * key, so each epoch sees a new, reproducible order. `epoch(ds, 0)` iterates exactly
 * like `ds` itself.
 * @example
 * for (let e = 0; e < 10; e++) for await (const b of epoch(train, e)) step(b);
 */
export function epoch<T>(ds: Dataset<T>, i: number): Dataset<T> {
  if (!Number.isSafeInteger(i) || i < 0)
    throw new ValueError(`epoch: index must be a non-negative integer, got ${i}`);
  const at = (ctx: IterationContext): IterationContext => ({ epoch: i, repeats: ctx.repeats });
  const plan = ds.indexed;
  if (plan)
    return makeIndexedDataset({
      table: plan.table,
      length: plan.length,
      order: (ctx) => plan.order(at(ctx)),
    });
  return makeDataset((ctx) => ds.iterate(at(ctx)), ds.cardinality);
}
