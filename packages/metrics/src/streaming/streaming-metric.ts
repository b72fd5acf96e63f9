import type * as jt from '@jute/tensor';

/**
 * A metric accumulated over batches by pure functions: the state is a pytree of arrays
 * (so it can be carried through `scan` or checkpointed), `update` returns a new state,
 * `merge` combines states from different shards, and `compute` gives the epoch result.
 * `compute(update(init(), ...a))` equals the one-shot metric on `a`, and updating with
 * several batches equals the one-shot metric on their concatenation.
 */
export interface StreamingMetric<
  S,
  A extends readonly unknown[] = [predictions: jt.Array, labels: jt.Array],
  R = jt.Array,
> {
  /** The state before any batch. */
  init(): S;
  /** The state after one more batch. */
  update(state: S, ...batch: A): S;
  /** The state of the union of two disjoint sets of batches. */
  merge(a: S, b: S): S;
  /** The metric of everything seen so far. */
  compute(state: S): R;
}
