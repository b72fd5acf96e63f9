import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';

const INT32_MAX = 2 ** 31 - 1;

/** A fresh step counter: a scalar int32 array, so it checkpoints with the state. */
export const zeroCount = (): jt.Array => jt.scalar(0, 'int32');

/** `count + 1`, saturating at the int32 maximum instead of wrapping negative. */
export function incrementCount(count: jt.Array): jt.Array {
  if (count instanceof jc.Tracer) {
    return jt.where(jt.less(count, INT32_MAX), jt.add(count, 1), INT32_MAX);
  }
  return jt.scalar(Math.min(Number(count.item()) + 1, INT32_MAX), 'int32');
}
