import * as jt from '@jute/tensor';
import { safeDiv } from '../internal/validate';

/** A hit/total counter state: int32 scalars (exact at any epoch size below 2³¹). */
export interface CounterState {
  readonly hits: jt.Array;
  readonly total: jt.Array;
}

/** A counter at zero. */
export const counterInit = (): CounterState => ({
  hits: jt.zeros([], { dtype: 'int32' }),
  total: jt.zeros([], { dtype: 'int32' }),
});

/** Adds one batch's `[hits, total]`. */
export const counterAdd = (s: CounterState, [hits, total]: [jt.Array, jt.Array]): CounterState => ({
  hits: jt.add(s.hits, hits),
  total: jt.add(s.total, total),
});

/** Adds two counters. */
export const counterMerge = (a: CounterState, b: CounterState): CounterState =>
  counterAdd(a, [b.hits, b.total]);

/** hits / total, 0 when nothing was counted. */
export const counterRatio = (s: CounterState): jt.Array =>
  safeDiv(jt.cast(s.hits, 'float32'), jt.cast(s.total, 'float32'));
