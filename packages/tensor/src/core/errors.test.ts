import { describe, expect, it } from 'vitest';
import * as jt from '../index';

/**
 * Bad input throws a typed error whose message names the op and the offending shapes or
 * dtypes. One row per kind of mistake users make.
 */
const cases: [string, () => unknown, typeof jt.JuteError, string | RegExp][] = [
  [
    'matmul',
    () => jt.matmul(jt.ones([2, 3]), jt.ones([4, 5])),
    jt.ShapeError,
    'matmul: contracting dimensions differ: [2,3] @ [4,5]',
  ],
  [
    'matmul batch',
    () => jt.matmul(jt.ones([2, 2, 3]), jt.ones([3, 3, 4])),
    jt.ShapeError,
    'matmul: batch dimensions do not broadcast: [2,2,3] @ [3,3,4]',
  ],
  [
    'add',
    () => jt.add(jt.ones([2, 3]), jt.ones([4])),
    jt.ShapeError,
    'add: shapes [2,3] and [4] do not broadcast',
  ],
  [
    'where',
    () => jt.where(jt.ones([2], { dtype: 'bool' }), jt.ones([3]), 0),
    jt.ShapeError,
    'where: shapes [2] and [3] do not broadcast',
  ],
  [
    'reshape',
    () => jt.reshape(jt.ones([2, 3]), [4]),
    jt.ShapeError,
    'reshape: cannot reshape [2,3] (6 elements) to [4]',
  ],
  [
    'sum axis',
    () => jt.sum(jt.ones([2]), { axis: 1 }),
    jt.ShapeError,
    'sum: axis 1 is out of range for an array of rank 1',
  ],
  [
    'conv channels',
    () => jt.conv(jt.ones([1, 4, 4, 2]), jt.ones([3, 3, 1, 1])),
    jt.ShapeError,
    'conv: kernel [3,3,1,1] expects 1 input channels, input [1,4,4,2] has 2',
  ],
  [
    'einsum',
    () => jt.einsum('ij,jk->ik', jt.ones([2, 3]), jt.ones([2, 3])),
    jt.ShapeError,
    "einsum: subscript 'j' has sizes 3 and 2",
  ],
  [
    'take dtype',
    () => jt.take(jt.ones([3]), jt.ones([1])),
    jt.DTypeError,
    'take: indices must be int32, got float32',
  ],
  ['neg bool', () => jt.neg(jt.array([true])), jt.DTypeError, 'neg: not defined for bool arrays'],
  [
    'unknown dtype',
    () => jt.zeros([1], { dtype: 'float16' as jt.DType }),
    jt.DTypeError,
    /zeros: unknown dtype 'float16'/,
  ],
  [
    'random dtype',
    () => jt.random.normal(jt.random.key(0), [2], { dtype: 'int32' }),
    jt.DTypeError,
    'random.normal: dtype must be float32 or float64, got int32',
  ],
  [
    'take range',
    () => jt.take(jt.ones([3]), 5),
    jt.ValueError,
    'take: index 5 is out of range for an axis of size 3',
  ],
  [
    'arange',
    () => jt.arange(0, 1, 0),
    jt.ValueError,
    'arange: step must be finite and non-zero, got 0',
  ],
  ['topK', () => jt.topK(jt.ones([3]), 4), jt.ValueError, 'topK: k must be in [0, 3], got 4'],
  [
    'whileLoop',
    () =>
      jt.whileLoop(
        () => jt.ones([2]),
        (c: jt.Array) => c,
        jt.ones([]),
      ),
    jt.TraceError,
    'whileLoop: condition must return a bool scalar, got float32[2]',
  ],
];

describe('typed errors', () => {
  it.each(cases)('%s', (_name, f, type, message) => {
    let error: unknown;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(jt.JuteError);
    expect((error as Error).message).toMatch(message);
    expect(String(error)).toMatch(new RegExp(`^${type.name}: `));
  });
});
