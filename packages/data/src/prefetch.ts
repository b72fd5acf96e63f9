import * as jt from '@jute/tensor';
import { type Dataset, type IterationContext, makeDataset } from './dataset';

/**
 * Keeps up to `n` elements requested ahead of the consumer, so that asynchronous
 * upstream work (file reads, awaited transforms) proceeds while the consumer awaits
 * something else. JavaScript runs one thread: synchronous upstream work is not made
 * parallel, only started earlier. Errors surface at the element where they occurred.
 * @example pipe(ds, batch(64), prefetch(2))
 */
export function prefetch(n: number) {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new jt.ValueError(`prefetch: n must be a positive integer, got ${n}`);
  return <T>(ds: Dataset<T>): Dataset<T> => {
    const start = (ctx: IterationContext): AsyncIterator<T> => {
      let upstream: AsyncIterator<T> | undefined;
      const queue: Promise<IteratorResult<T>>[] = [];
      let exhausted = false;
      let closed = false;
      const fill = (): void => {
        upstream ??= ds.iterate(ctx);
        while (!exhausted && !closed && queue.length < n) {
          const p = upstream.next();
          p.then(
            (r) => {
              if (r.done) exhausted = true;
            },
            () => {
              exhausted = true;
            },
          );
          queue.push(p);
        }
      };
      const done = (): IteratorResult<T> => ({ done: true, value: undefined });
      return {
        next: async () => {
          if (closed) return done();
          fill();
          const head = queue.shift();
          if (head === undefined) return done();
          const r = await head;
          if (!r.done) fill();
          return r;
        },
        return: async () => {
          closed = true;
          // Already-requested elements are dropped; their errors must not go unhandled.
          for (const p of queue.splice(0)) p.catch(() => undefined);
          await upstream?.return?.();
          return done();
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      } as AsyncIterableIterator<T>;
    };
    return makeDataset(start, ds.cardinality);
  };
}
