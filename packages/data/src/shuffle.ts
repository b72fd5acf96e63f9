import * as jt from '@jute/tensor';
import { type Dataset, type IterationContext, makeDataset, makeIndexedDataset } from './dataset';
import { rngFor, type Xoshiro128 } from './rng';

/**
 * Options of {@link shuffle}.
 * @example shuffle(key, { bufferSize: 1024 })
 */
export interface ShuffleOptions {
  /**
   * How many elements to hold and draw from. `Infinity` (the default) is a uniform
   * shuffle of the whole dataset; a smaller buffer bounds memory for streams and
   * shuffles only locally (as `tf.data`'s `shuffle`).
   */
  readonly bufferSize?: number;
}

/**
 * The buffered-shuffle algorithm over an index array. The streaming version below
 * makes exactly the same draws, so random-access and streaming datasets with the same
 * elements shuffle into the same order.
 */
export function shuffleOrder(order: Int32Array, bufferSize: number, rng: Xoshiro128): Int32Array {
  const n = order.length;
  const cap = Math.min(bufferSize, n);
  const out = new Int32Array(n);
  const buf = new Int32Array(cap);
  let fill = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (fill < cap) {
      buf[fill++] = order[i]!;
      continue;
    }
    const j = rng.below(cap);
    out[o++] = buf[j]!;
    buf[j] = order[i]!;
  }
  while (fill > 0) {
    const j = rng.below(fill);
    out[o++] = buf[j]!;
    buf[j] = buf[--fill]!;
  }
  return out;
}

/**
 * Shuffles deterministically: the order of a pass depends only on `key` and the
 * pass's epoch (see {@link epoch}); iterating the same dataset twice in the same epoch
 * gives the same order, and `epoch(ds, e)` gives a new order for each `e`. On
 * random-access datasets (`fromArrays`, `charWindows`) it permutes indices only.
 * @example
 * const train = pipe(fromArrays({ x, y }), shuffle(jt.random.key(0)), batch(64));
 * for (let e = 0; e < epochs; e++) for await (const b of epoch(train, e)) step(b);
 */
export function shuffle(key: jt.Array, options: ShuffleOptions = {}) {
  const bufferSize = options.bufferSize ?? Number.POSITIVE_INFINITY;
  if (!(bufferSize >= 1) || (Number.isFinite(bufferSize) && !Number.isInteger(bufferSize))) {
    throw new jt.ValueError(
      `shuffle: bufferSize must be a positive integer or Infinity, got ${bufferSize}`,
    );
  }
  return <T>(ds: Dataset<T>): Dataset<T> => {
    const plan = ds.indexed;
    if (plan) {
      return makeIndexedDataset({
        table: plan.table,
        length: plan.length,
        order: (ctx) => shuffleOrder(plan.order(ctx), bufferSize, rngFor(key, ctx)),
      });
    }
    async function* start(ctx: IterationContext): AsyncGenerator<T> {
      const rng = rngFor(key, ctx);
      const buf: T[] = [];
      const it = ds.iterate(ctx);
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) {
          if (buf.length < bufferSize) {
            buf.push(r.value);
            continue;
          }
          const j = rng.below(buf.length);
          const out = buf[j]!;
          buf[j] = r.value;
          yield out;
        }
      } finally {
        await it.return?.();
      }
      while (buf.length > 0) {
        const j = rng.below(buf.length);
        const out = buf[j]!;
        buf[j] = buf[buf.length - 1]!;
        buf.pop();
        yield out;
      }
    }
    return makeDataset(start, ds.cardinality);
  };
}
