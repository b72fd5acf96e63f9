import { type Dataset, type IterationContext, makeDataset } from './dataset';

/**
 * A dataset from a function that returns a fresh (sync or async) iterable for each
 * pass; it receives the pass's context (the epoch) in case the source depends on it.
 * Cardinality is unknown unless given.
 * @example
 * const ds = fromGenerator(function* () { for (let i = 0; i < 5; i++) yield { x: i }; });
 */
export function fromGenerator<T>(
  factory: (ctx: IterationContext) => Iterable<T> | AsyncIterable<T>,
  options: { readonly cardinality?: number } = {},
): Dataset<T> {
  async function* start(ctx: IterationContext): AsyncGenerator<T> {
    yield* factory(ctx);
  }
  return makeDataset(start, options.cardinality);
}
