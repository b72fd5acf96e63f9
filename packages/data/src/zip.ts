import { type Dataset, type IterationContext, makeDataset } from './dataset';

type Elements<D> = { [K in keyof D]: D[K] extends Dataset<infer T> ? T : never };

/**
 * Pairs up elements of several datasets, given as a tuple or a record; stops at the
 * shortest.
 * @example
 * const pairs = zip([images, labels]);          // Dataset<[Array, Array]>
 * const named = zip({ x: images, y: labels });  // Dataset<{ x: Array; y: Array }>
 */
export function zip<
  const D extends readonly Dataset<unknown>[] | { readonly [k: string]: Dataset<unknown> },
>(datasets: D): Dataset<Elements<D>> {
  const keys = Object.keys(datasets);
  const list = keys.map((k) => (datasets as Record<string, Dataset<unknown>>)[k]!);
  const isTuple = Array.isArray(datasets);
  async function* start(ctx: IterationContext): AsyncGenerator<Elements<D>> {
    const its = list.map((d) => d.iterate(ctx));
    try {
      for (;;) {
        const rs = await Promise.all(its.map((it) => it.next()));
        if (rs.some((r) => r.done)) return;
        const values = rs.map((r) => r.value);
        yield (
          isTuple ? values : Object.fromEntries(keys.map((k, i) => [k, values[i]]))
        ) as Elements<D>;
      }
    } finally {
      await Promise.all(its.map((it) => it.return?.()));
    }
  }
  const cards = list.map((d) => d.cardinality);
  const card = cards.includes(undefined)
    ? cards.some((c) => c !== undefined && c === 0)
      ? 0
      : undefined
    : Math.min(...(cards as number[]));
  return makeDataset(start, list.length === 0 ? 0 : card);
}
