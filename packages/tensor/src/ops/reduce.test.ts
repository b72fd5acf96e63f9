import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const f32 = (v: jt.NestedArray) => jt.array(v);
const i32 = (v: jt.NestedArray) => jt.array(v, { dtype: 'int32' });
const f64 = (v: jt.NestedArray) => jt.array(v, { dtype: 'float64' });

function expectClose(a: jt.Array, expected: number[], tol = 1e-6): void {
  const d = Array.from(a.data());
  expect(d.length).toBe(expected.length);
  d.forEach((v, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(v).toBeNaN();
    else if (!Number.isFinite(e)) expect(v).toBe(e);
    else expect(Math.abs(v - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

// x[i][j][k] = 12i + 4j + k
const x3 = () => jt.arange(24).reshape([2, 3, 4]);

describe('sum', () => {
  it('reduces all axes by default, one axis, a list and negative axes', () => {
    const x = x3();
    expect(jt.sum(x).toArray()).toBe(276);
    expect(jt.sum(x, { axis: 0 }).toArray()).toEqual([
      [12, 14, 16, 18],
      [20, 22, 24, 26],
      [28, 30, 32, 34],
    ]);
    expect(jt.sum(x, { axis: -1 }).toArray()).toEqual([
      [6, 22, 38],
      [54, 70, 86],
    ]);
    expect(jt.sum(x, { axis: [0, 2] }).toArray()).toEqual([60, 92, 124]);
    expect(jt.sum(x, { axis: [-1, 0] }).toArray()).toEqual([60, 92, 124]);
    expect(jt.sum(x, { axis: [] }).toArray()).toEqual(x.toArray());
  });

  it('keepdims keeps reduced axes as size 1', () => {
    const x = x3();
    const s = jt.sum(x, { axis: [0, 2], keepdims: true });
    expect(s.shape).toEqual([1, 3, 1]);
    expect(s.toArray()).toEqual([[[60], [92], [124]]]);
    expect(jt.sum(x, { keepdims: true }).shape).toEqual([1, 1, 1]);
    expect(x.sum({ axis: 1, keepdims: true }).shape).toEqual([2, 1, 4]);
  });

  it('keeps the dtype; bools count as int32; empty sums are zero', () => {
    expect(jt.sum(x3()).dtype).toBe('int32');
    const b = jt.sum(jt.array([true, true, false]));
    expect(b.dtype).toBe('int32');
    expect(b.toArray()).toBe(2);
    expect(jt.sum(jt.zeros([0, 3]), { axis: 0 }).toArray()).toEqual([0, 0, 0]);
    expect(jt.sum(jt.scalar(3)).toArray()).toBe(3);
  });

  it('accumulates float32 sums precisely', () => {
    expect(jt.sum(jt.full([100000], 0.1)).item()).toBeCloseTo(10000, 2);
  });
});

describe('mean, var, std', () => {
  it('mean over axes; integers average as float32', () => {
    const x = x3();
    const m = jt.mean(x, { axis: [0, 1] });
    expect(m.dtype).toBe('float32');
    expect(m.toArray()).toEqual([10, 11, 12, 13]);
    expect(jt.mean(x).toArray()).toBe(11.5);
    expect(jt.mean(x, { axis: -1, keepdims: true }).toArray()).toEqual([
      [[1.5], [5.5], [9.5]],
      [[13.5], [17.5], [21.5]],
    ]);
    expect(jt.mean(f64([1, 2])).dtype).toBe('float64');
  });

  it('var and std with ddof and keepdims', () => {
    const x = f32([
      [1, 2, 3, 4],
      [2, 2, 2, 2],
    ]);
    expectClose(jt.var(x, { axis: 1 }), [1.25, 0]);
    expectClose(jt.var(x, { axis: -1, ddof: 1 }), [5 / 3, 0]);
    expect(jt.var(x, { axis: 1, keepdims: true }).shape).toEqual([2, 1]);
    expectClose(jt.std(x, { axis: 1 }), [Math.sqrt(1.25), 0]);
    expectClose(jt.std(f32([2, 4, 4, 4, 5, 5, 7, 9])), [2]);
    expectClose(jt.var(x, { axis: 0 }), [0.25, 0, 0.25, 1]);
    expectClose(x.var(), [0.6875]);
    expect(jt.var(i32([1, 2, 3, 4])).dtype).toBe('float32');
  });
});

describe('prod', () => {
  it('multiplies over axes, lists and negatives, with keepdims', () => {
    const x = jt.arange(1, 7).reshape([2, 3]);
    expect(jt.prod(x).toArray()).toBe(720);
    expect(jt.prod(x, { axis: 1 }).toArray()).toEqual([6, 120]);
    expect(jt.prod(x, { axis: -2, keepdims: true }).toArray()).toEqual([[4, 10, 18]]);
    expect(jt.prod(x3(), { axis: [0, 2] }).toArray()).toEqual([
      0,
      4 * 5 * 6 * 7 * 16 * 17 * 18 * 19,
      8 * 9 * 10 * 11 * 20 * 21 * 22 * 23,
    ]);
    expect(jt.prod(x3(), { axis: [0, -1], keepdims: true }).shape).toEqual([1, 3, 1]);
  });

  it('handles odd lengths, zeros, empty axes and scalars', () => {
    expectClose(jt.prod(f32([1.5, 2, 3, 0.5, 2])), [9]);
    expect(jt.prod(f32([2, 0, 3])).toArray()).toBe(0);
    expect(jt.prod(jt.zeros([0, 2]), { axis: 0 }).toArray()).toEqual([1, 1]);
    expect(jt.prod(jt.scalar(3)).toArray()).toBe(3);
    expect(jt.prod(jt.array([true, true])).dtype).toBe('int32');
  });
});

describe('max, min, argmax, argmin', () => {
  it('max and min over axes', () => {
    const x = f32([
      [1, 5, 3],
      [7, 2, 7],
    ]);
    expect(jt.max(x).toArray()).toBe(7);
    expect(jt.max(x, { axis: 0 }).toArray()).toEqual([7, 5, 7]);
    expect(jt.min(x, { axis: -1 }).toArray()).toEqual([1, 2]);
    expect(jt.min(x, { axis: 1, keepdims: true }).toArray()).toEqual([[1], [2]]);
    expect(jt.max(x3(), { axis: [-1, 0] }).toArray()).toEqual([15, 19, 23]);
    expect(
      jt
        .max(
          i32([
            [1, 5],
            [7, 2],
          ]),
          { axis: 1 },
        )
        .toArray(),
    ).toEqual([5, 7]);
    expect(
      jt.min(
        i32([
          [1, 5],
          [7, 2],
        ]),
      ).dtype,
    ).toBe('int32');
  });

  it('NaN wins; -inf and bool work', () => {
    expectClose(jt.max(f32([1, NaN, 3])), [NaN]);
    expectClose(jt.min(f32([1, NaN, 3])), [NaN]);
    expect(jt.max(f32([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(jt.min(jt.array([true, false])).toArray()).toBe(false);
    expect(jt.max(jt.array([true, false])).toArray()).toBe(true);
  });

  it('int32 extremes do not overflow', () => {
    const lo = -2147483648;
    const hi = 2147483647;
    expect(jt.min(i32([lo, 0, hi])).item()).toBe(lo);
    expect(jt.max(i32([lo, 0, hi])).item()).toBe(hi);
    expect(jt.min(i32([lo, lo])).item()).toBe(lo);
    expect(jt.argmin(i32([0, lo, hi])).item()).toBe(1);
  });

  it('reducing an empty axis is an error', () => {
    expect(() => jt.max(jt.zeros([0]))).toThrow(jt.ValueError);
    expect(() => jt.argmax(jt.zeros([0]))).toThrow(/argmax/);
  });

  it('argmax/argmin return int32, first index on ties, flattened without axis', () => {
    const x = f32([
      [1, 5, 5],
      [7, 2, 7],
    ]);
    const a = jt.argmax(x, { axis: 1 });
    expect(a.dtype).toBe('int32');
    expect(a.toArray()).toEqual([1, 0]);
    expect(jt.argmax(x).toArray()).toBe(3);
    expect(jt.argmax(x, { axis: -2 }).toArray()).toEqual([1, 0, 1]);
    expect(
      jt
        .argmin(
          f32([
            [1, 5, 0],
            [7, 2, 7],
          ]),
          { axis: 0 },
        )
        .toArray(),
    ).toEqual([0, 1, 0]);
    expect(jt.argmin(f32([[3, 1, 1]]), { axis: 1, keepdims: true }).toArray()).toEqual([[1]]);
    expect(jt.argmax(f32([1, NaN, 3])).toArray()).toBe(1);
    expect(jt.argmax(jt.array([false, true, true])).toArray()).toBe(1);
    expect(x.argmin({ axis: 1 }).toArray()).toEqual([0, 1]);
  });
});

describe('any, all', () => {
  it('reduce truthiness over axes', () => {
    const x = f32([
      [0, 1],
      [0, 0],
    ]);
    expect(jt.any(x, { axis: 1 }).toArray()).toEqual([true, false]);
    expect(
      jt
        .all(
          f32([
            [1, 1],
            [0, 1],
          ]),
          { axis: 0 },
        )
        .toArray(),
    ).toEqual([false, true]);
    expect(jt.any(x).toArray()).toBe(true);
    expect(jt.all(x).toArray()).toBe(false);
    expect(jt.all(x, { axis: -1, keepdims: true }).shape).toEqual([2, 1]);
    expect(jt.any(f32([NaN])).toArray()).toBe(true);
  });
});

describe('logsumexp and softmax', () => {
  it('is stable for large values and handles -inf rows', () => {
    expectClose(
      jt.logsumexp(
        f32([
          [0, 0],
          [1000, 1000],
        ]),
        { axis: 1 },
      ),
      [Math.log(2), 1000 + Math.log(2)],
    );
    expect(jt.logsumexp(f32([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(jt.logsumexp(f32([Infinity, 0])).item()).toBe(Infinity);
    expectClose(
      jt.logsumexp(f64([1, 2, 3])),
      [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))],
      1e-14,
    );
  });

  it('axis lists and keepdims', () => {
    expectClose(jt.logsumexp(jt.zeros([2, 3]), { axis: [0, 1] }), [Math.log(6)]);
    const k = jt.logsumexp(jt.zeros([2, 3]), { axis: -1, keepdims: true });
    expect(k.shape).toEqual([2, 1]);
    expectClose(k, [Math.log(3), Math.log(3)]);
    expect(jt.logsumexp(jt.zeros([2, 3]), { axis: 0 }).shape).toEqual([3]);
  });

  it('softmax and logSoftmax', () => {
    expectClose(
      jt.softmax(
        f32([
          [0, Math.log(3)],
          [1000, 1000],
        ]),
      ),
      [0.25, 0.75, 0.5, 0.5],
    );
    expectClose(
      jt.softmax(
        f32([
          [0, 0],
          [0, Math.log(3)],
        ]),
        { axis: 0 },
      ),
      [0.5, 0.25, 0.5, 0.75],
    );
    expectClose(jt.logSoftmax(f32([0, Math.log(3)])), [Math.log(0.25), Math.log(0.75)]);
  });
});

describe('cumsum', () => {
  it('along an axis, reversed, flattened, bool as int32', () => {
    const x = f32([
      [1, 2],
      [3, 4],
    ]);
    expect(jt.cumsum(x, { axis: 0 }).toArray()).toEqual([
      [1, 2],
      [4, 6],
    ]);
    expect(jt.cumsum(x, { axis: -1 }).toArray()).toEqual([
      [1, 3],
      [3, 7],
    ]);
    expect(jt.cumsum(x, { axis: 1, reverse: true }).toArray()).toEqual([
      [3, 2],
      [7, 4],
    ]);
    expect(jt.cumsum(x).toArray()).toEqual([1, 3, 6, 10]);
    const b = jt.cumsum(jt.array([true, true, false]));
    expect(b.dtype).toBe('int32');
    expect(b.toArray()).toEqual([1, 2, 2]);
    expect(jt.cumsum(x3(), { axis: 1 }).toArray()).toEqual([
      [
        [0, 1, 2, 3],
        [4, 6, 8, 10],
        [12, 15, 18, 21],
      ],
      [
        [12, 13, 14, 15],
        [28, 30, 32, 34],
        [48, 51, 54, 57],
      ],
    ]);
  });
});

describe('axis errors', () => {
  it('out-of-range and repeated axes are ShapeErrors naming the op', () => {
    expect(() => jt.sum(jt.zeros([2, 3]), { axis: 2 })).toThrow(
      'sum: axis 2 is out of range for an array of rank 2',
    );
    expect(() => jt.mean(jt.zeros([2, 3]), { axis: -3 })).toThrow(jt.ShapeError);
    expect(() => jt.sum(jt.zeros([2, 3]), { axis: [1, -1] })).toThrow(
      'sum: repeated axis in [1,-1]',
    );
    expect(() => jt.argmax(jt.zeros([2, 3]), { axis: 5 })).toThrow(/argmax: axis 5/);
    expect(() => jt.cumsum(jt.zeros([2]), { axis: 1 })).toThrow(/cumsum/);
  });
});
