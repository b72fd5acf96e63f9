import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const f32 = (v: jt.NestedArray) => jt.array(v);
const i32 = (v: jt.NestedArray) => jt.array(v, { dtype: 'int32' });

describe('take', () => {
  it('gathers along an axis with negative indices', () => {
    const m = jt.arange(6).reshape([2, 3]);
    expect(jt.take(m, [2, 0, -1], { axis: 1 }).toArray()).toEqual([
      [2, 0, 2],
      [5, 3, 5],
    ]);
    expect(jt.take(m, [1]).toArray()).toEqual([[3, 4, 5]]);
    expect(jt.take(m, -1, { axis: -1 }).toArray()).toEqual([2, 5]);
    expect(m.take(0).toArray()).toEqual([0, 1, 2]);
  });

  it('result shape is x.shape[:axis] + indices.shape + x.shape[axis+1:]', () => {
    const t = jt.take(
      f32([10, 20, 30]),
      i32([
        [0, 1],
        [2, 2],
      ]),
    );
    expect(t.toArray()).toEqual([
      [10, 20],
      [30, 30],
    ]);
    const e = jt.take(jt.arange(24).reshape([2, 3, 4]), i32([[2, 0]]), { axis: 1 });
    expect(e.shape).toEqual([2, 1, 2, 4]);
    expect(e.toArray()).toEqual([
      [
        [
          [8, 9, 10, 11],
          [0, 1, 2, 3],
        ],
      ],
      [
        [
          [20, 21, 22, 23],
          [12, 13, 14, 15],
        ],
      ],
    ]);
  });

  it('rejects out-of-range and non-integer indices', () => {
    expect(() => jt.take(f32([10, 20, 30]), 3)).toThrow(
      'take: index 3 is out of range for an axis of size 3',
    );
    expect(() => jt.take(f32([10, 20, 30]), -4)).toThrow(jt.ValueError);
    expect(() => jt.take(f32([10, 20, 30]), f32([1]))).toThrow(
      'take: indices must be int32, got float32',
    );
  });
});

describe('takeAlongAxis', () => {
  const x = f32([
    [10, 30, 20],
    [60, 40, 50],
  ]);
  it('picks per row along the last axis, or along axis 0', () => {
    expect(jt.takeAlongAxis(x, i32([[1], [0]]), 1).toArray()).toEqual([[30], [60]]);
    expect(
      jt
        .takeAlongAxis(
          x,
          i32([
            [2, 0],
            [1, 1],
          ]),
          -1,
        )
        .toArray(),
    ).toEqual([
      [20, 10],
      [40, 40],
    ]);
    expect(jt.takeAlongAxis(x, i32([[1, 0, 1]]), 0).toArray()).toEqual([[60, 30, 50]]);
    expect(jt.takeAlongAxis(x, i32([[-1], [0]]), -1).toArray()).toEqual([[20], [60]]);
  });

  it('works in 3-D and with argsort (sorting by gathered indices)', () => {
    const y = jt.arange(24).reshape([2, 3, 4]);
    // Indices broadcast against x outside the axis, as in NumPy and JAX.
    const b = jt.takeAlongAxis(y, i32([[[0, 3]], [[1, 2]]]), 2);
    expect(b.toArray()).toEqual([
      [
        [0, 3],
        [4, 7],
        [8, 11],
      ],
      [
        [13, 14],
        [17, 18],
        [21, 22],
      ],
    ]);
    expect(
      jt
        .takeAlongAxis(
          y,
          i32([
            [
              [0, 3],
              [1, 1],
              [2, 0],
            ],
            [
              [1, 2],
              [3, 3],
              [0, 0],
            ],
          ]),
          2,
        )
        .toArray(),
    ).toEqual([
      [
        [0, 3],
        [5, 5],
        [10, 8],
      ],
      [
        [13, 14],
        [19, 19],
        [20, 20],
      ],
    ]);
    const r = f32([
      [3, 1, 2],
      [0, 5, 4],
    ]);
    expect(jt.takeAlongAxis(r, jt.argsort(r), -1).toArray()).toEqual(jt.sort(r).toArray());
  });

  it('errors on rank mismatch', () => {
    expect(() => jt.takeAlongAxis(x, i32([1, 0]), 1)).toThrow(
      'takeAlongAxis: indices [2] must have the rank of x [2,3]',
    );
  });
});

describe('oneHot', () => {
  it('encodes labels; out-of-range labels give zero rows', () => {
    const o = jt.oneHot(i32([0, 2, 5, -1]), 3);
    expect(o.dtype).toBe('float32');
    expect(o.toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(jt.oneHot(i32([[1], [0]]), 2, { dtype: 'int32' }).toArray()).toEqual([
      [[0, 1]],
      [[1, 0]],
    ]);
    expect(() => jt.oneHot(i32([0]), -1)).toThrow(jt.ValueError);
  });
});

describe('at', () => {
  it('set returns a new array and leaves the input alone', () => {
    const x = jt.arange(5);
    const y = jt.at(x, [1, 3]).set(9);
    expect(y.toArray()).toEqual([0, 9, 2, 9, 4]);
    expect(x.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(jt.at(x, -1).set(7).toArray()).toEqual([0, 1, 2, 3, 7]);
  });

  it('set rows with broadcasting and per-position values', () => {
    const m = jt.arange(6).reshape([3, 2]);
    expect(
      jt
        .at(m, 1)
        .set(f32([7, 8]))
        .toArray(),
    ).toEqual([
      [0, 1],
      [7, 8],
      [4, 5],
    ]);
    expect(
      jt
        .at(m, [0, 2])
        .set(
          f32([
            [1, 1],
            [2, 2],
          ]),
        )
        .toArray(),
    ).toEqual([
      [1, 1],
      [2, 3],
      [2, 2],
    ]);
    expect(jt.at(m, [0, 2]).set(-1).toArray()).toEqual([
      [-1, -1],
      [2, 3],
      [-1, -1],
    ]);
  });

  it('set keeps NaN/inf elsewhere and casts values to the dtype', () => {
    const z = jt
      .at(f32([Infinity, 2, NaN]), 1)
      .set(5)
      .data();
    expect(z[0]).toBe(Infinity);
    expect(z[1]).toBe(5);
    expect(z[2]).toBeNaN();
    const i = jt.at(jt.arange(3), 0).set(2.7);
    expect(i.dtype).toBe('int32');
    expect(i.toArray()).toEqual([2, 1, 2]);
  });

  it('add accumulates repeated positions; get gathers', () => {
    expect(jt.at(jt.arange(5), [1, 1, -1]).add(10).toArray()).toEqual([0, 21, 2, 3, 14]);
    expect(
      jt
        .at(
          f32([
            [1, 1],
            [1, 1],
          ]),
          [0],
        )
        .add(f32([[1, 2]]))
        .toArray(),
    ).toEqual([
      [2, 3],
      [1, 1],
    ]);
    expect(jt.at(jt.arange(5), [1, -1]).get().toArray()).toEqual([1, 4]);
  });

  it('errors', () => {
    expect(() => jt.at(jt.scalar(1), 0)).toThrow('at: cannot index a 0-d array');
    expect(() => jt.at(jt.arange(3), 3).set(1)).toThrow(
      'at: index 3 is out of range for an axis of size 3',
    );
  });
});
