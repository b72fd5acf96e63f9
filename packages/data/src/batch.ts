import * as jt from '@jute/tensor';
import { type Batched, type Dataset, type IterationContext, makeDataset } from './dataset';
import { stackExamples } from './stack-examples';

/**
 * Options of {@link batch}.
 * @example batch(64, { dropRemainder: true })
 */
export interface BatchOptions {
  /** Drop a last batch smaller than `size` (fixed shapes for every step). Default `false`. */
  readonly dropRemainder?: boolean;
}

const batchCount = (n: number | undefined, size: number, drop: boolean): number | undefined =>
  n === undefined || !Number.isFinite(n) ? n : drop ? Math.floor(n / size) : Math.ceil(n / size);

/**
 * Groups consecutive elements into batches, stacking every leaf into one array with a
 * new leading axis of length `size` (the last batch may be shorter unless
 * `dropRemainder`). Random-access datasets gather each batch straight from their
 * buffers; streams stack the collected examples.
 * @example pipe(fromArrays({ x, y }), shuffle(key), batch(64, { dropRemainder: true }))
 */
export function batch(size: number, options: BatchOptions = {}) {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new jt.ValueError(`batch: size must be a positive integer, got ${size}`);
  const drop = options.dropRemainder ?? false;
  return <T>(ds: Dataset<T>): Dataset<Batched<T>> => {
    const plan = ds.indexed;
    if (plan) {
      async function* gathered(ctx: IterationContext): AsyncGenerator<Batched<T>> {
        const order = plan!.order(ctx);
        const end = drop ? order.length - (order.length % size) : order.length;
        for (let s = 0; s < end; s += size)
          yield plan!.table.gather(order.subarray(s, Math.min(s + size, end)));
      }
      return makeDataset(gathered, batchCount(plan.length, size, drop));
    }
    async function* stacked(ctx: IterationContext): AsyncGenerator<Batched<T>> {
      let group: T[] = [];
      const it = ds.iterate(ctx);
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) {
          group.push(r.value);
          if (group.length === size) {
            const full = group;
            group = [];
            yield stackExamples(full);
          }
        }
      } finally {
        await it.return?.();
      }
      if (group.length > 0 && !drop) yield stackExamples(group);
    }
    return makeDataset(stacked, batchCount(ds.cardinality, size, drop));
  };
}
