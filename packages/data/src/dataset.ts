import type * as jt from '@jute/tensor';

/**
 * What one pass over a dataset is: the epoch (folded into shuffle keys) and, inside
 * `repeat`, the index of each enclosing repetition. Iterating the same dataset with
 * the same context always yields the same elements.
 * @example const ctx: IterationContext = { epoch: 3, repeats: [] };
 */
export interface IterationContext {
  readonly epoch: number;
  readonly repeats: readonly number[];
}

/** The context of a plain `for await` loop: epoch 0. @example ds.iterate(defaultContext) */
export const defaultContext: IterationContext = { epoch: 0, repeats: [] };

/**
 * The type of a batch of `T`: every leaf (an `Array`, number or boolean) becomes an
 * `Array` with a new leading axis; the structure is kept.
 * @example type B = Batched<{ x: jt.Array; y: number }>; // { x: jt.Array; y: jt.Array }
 */
export type Batched<T> = T extends jt.Array | number | boolean
  ? jt.Array
  : T extends null | undefined
    ? T
    : { [K in keyof T]: Batched<T[K]> };

/**
 * Random access to examples, so that shuffle/take/skip/batch can work on index
 * arrays and copy a whole batch in one gather instead of building one object per
 * example. Internal to the package; exported for custom sources.
 * @example const t: Table<number> = { length: 3, get: (i) => i, gather: (ix) => jt.array(ix) };
 */
export interface Table<T> {
  readonly length: number;
  /** Example `i`, built on demand. */
  get(i: number): T;
  /** The examples at `indices`, stacked into one batch. */
  gather(indices: Int32Array): Batched<T>;
}

/**
 * A dataset over a {@link Table}: the order of indices one pass visits.
 * @example const plan: IndexedPlan<T> = { table, length: table.length, order: () => identityOrder(table.length) };
 */
export interface IndexedPlan<T> {
  readonly table: Table<T>;
  /** The number of indices `order` returns, whatever the context. */
  readonly length: number;
  /** Indices into `table` for one pass; a fresh array the caller may keep. */
  order(ctx: IterationContext): Int32Array;
}

/**
 * A lazy, immutable, re-iterable sequence of examples. Nothing is read or computed
 * until it is iterated; every `for await` starts a new pass from the beginning
 * (epoch 0; use {@link epoch} for another epoch's shuffle order).
 *
 * Datasets are async iterables because sources may be asynchronous (files, streams,
 * `fetch` in browsers) and because `prefetch` overlaps that work with the training
 * step; the cost is one microtask per element per stage, which batching makes
 * negligible next to a training step.
 * @example
 * for await (const { x, y } of pipe(fromArrays({ x, y }), batch(64))) step(x, y);
 */
export interface Dataset<T> extends AsyncIterable<T> {
  /** Starts one pass under an explicit context. */
  iterate(ctx?: IterationContext): AsyncIterator<T>;
  /** The number of elements; `Infinity` when endless; `undefined` when unknown without iterating. */
  readonly cardinality: number | undefined;
  /** Present when the dataset has random access (fast paths); `undefined` for streams. */
  readonly indexed: IndexedPlan<T> | undefined;
}

/**
 * A dataset from a function that starts a pass. The function is called once per pass.
 * @example const ds = makeDataset(async function* () { yield 1; yield 2; }, 2);
 */
export function makeDataset<T>(
  start: (ctx: IterationContext) => AsyncIterator<T>,
  cardinality: number | undefined,
): Dataset<T> {
  return Object.freeze({
    iterate: (ctx: IterationContext = defaultContext) => start(ctx),
    cardinality,
    indexed: undefined,
    [Symbol.asyncIterator]: () => start(defaultContext),
  });
}

/**
 * A random-access dataset: examples `plan.table.get(i)` for `i` in `plan.order(ctx)`.
 * @example const ds = makeIndexedDataset({ table, length: table.length, order: () => identityOrder(table.length) });
 */
export function makeIndexedDataset<T>(plan: IndexedPlan<T>): Dataset<T> {
  async function* start(ctx: IterationContext): AsyncGenerator<T> {
    const order = plan.order(ctx);
    for (let i = 0; i < order.length; i++) yield plan.table.get(order[i]!);
  }
  return Object.freeze({
    iterate: (ctx: IterationContext = defaultContext) => start(ctx),
    cardinality: plan.length,
    indexed: plan,
    [Symbol.asyncIterator]: () => start(defaultContext),
  });
}

/**
 * `0, 1, ..., n-1` as an `Int32Array`.
 * @example identityOrder(3); // Int32Array [0, 1, 2]
 */
export function identityOrder(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Reads a whole pass into a JS array (tests, small datasets, evaluation).
 * @example const all = await collect(pipe(fromArrays({ x }), take(3)));
 */
export async function collect<T>(
  ds: Dataset<T>,
  ctx: IterationContext = defaultContext,
): Promise<T[]> {
  const out: T[] = [];
  const it = ds.iterate(ctx);
  for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value);
  return out;
}

/** Awaits `x` only when it is a promise, so synchronous callbacks cost no extra tick. */
export const isPromiseLike = <U>(x: U | PromiseLike<U>): x is PromiseLike<U> =>
  typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
