import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const f32 = (v: jt.NestedArray) => jt.array(v);
const x3 = () => jt.arange(24).reshape([2, 3, 4]); // x[i][j][k] = 12i + 4j + k

/** Element of a row-major array at a multi-index. */
const at = (x: jt.Array, idx: number[]): number => {
  let off = 0;
  for (let i = 0; i < idx.length; i++) off = off * x.shape[i]! + idx[i]!;
  return x.data()[off]!;
};

describe('reshape', () => {
  it('keeps row-major order and infers one -1 axis', () => {
    expect(jt.reshape(jt.arange(6), [2, 3]).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(jt.reshape(x3(), [4, -1]).shape).toEqual([4, 6]);
    expect(jt.reshape(x3(), [-1]).shape).toEqual([24]);
    expect(jt.reshape(jt.scalar(1), [1, 1]).shape).toEqual([1, 1]);
    expect(jt.reshape(jt.zeros([0, 3]), [-1, 3]).shape).toEqual([0, 3]);
    expect(jt.ravel(x3()).toArray()).toEqual([...Array(24).keys()]);
  });

  it('rejects sizes that do not match and several -1s', () => {
    expect(() => jt.reshape(x3(), [5, -1])).toThrow(
      'reshape: cannot reshape [2,3,4] (24 elements) to [5,-1]',
    );
    expect(() => jt.reshape(x3(), [-1, -1])).toThrow('reshape: invalid target shape [-1,-1]');
    expect(() => jt.reshape(x3(), [25])).toThrow(jt.ShapeError);
  });

  it('round-trips through any factorization (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }),
        fc.nat(),
        (shape, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const x = jt.arange(n).reshape(shape);
          // Another shape with the same size: split n at a divisor chosen by the seed.
          const divisors = [...Array(n).keys()].map((i) => i + 1).filter((d) => n % d === 0);
          const d = divisors[seed % divisors.length]!;
          const y = jt.reshape(x, [d, -1]);
          expect(y.shape).toEqual([d, n / d]);
          const back = jt.reshape(y, shape);
          expect(back.shape).toEqual(shape);
          expect(Array.from(back.data())).toEqual([...Array(n).keys()]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('transpose and axis moves', () => {
  it('reverses axes by default and permutes with negatives', () => {
    expect(jt.transpose(jt.arange(6).reshape([2, 3])).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    const t = jt.transpose(x3(), [1, -1, 0]);
    expect(t.shape).toEqual([3, 4, 2]);
    expect(at(t, [2, 1, 1])).toBe(12 + 8 + 1);
    expect(x3().T.shape).toEqual([4, 3, 2]);
  });

  it('swapAxes, moveAxis, expandDims, squeeze', () => {
    const s = jt.swapAxes(x3(), 0, -1);
    expect(s.shape).toEqual([4, 3, 2]);
    expect(at(s, [3, 2, 1])).toBe(12 + 8 + 3);
    expect(jt.moveAxis(x3(), 0, -1).shape).toEqual([3, 4, 2]);
    expect(at(jt.moveAxis(x3(), 0, -1), [1, 2, 1])).toBe(12 + 4 + 2);
    expect(jt.moveAxis(x3(), -1, 0).shape).toEqual([4, 2, 3]);
    expect(jt.expandDims(x3(), -1).shape).toEqual([2, 3, 4, 1]);
    expect(jt.expandDims(x3(), 1).shape).toEqual([2, 1, 3, 4]);
    expect(jt.squeeze(jt.zeros([1, 3, 1])).shape).toEqual([3]);
    expect(jt.squeeze(jt.zeros([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(jt.squeeze(jt.zeros([1, 3, 1]), [0, 2]).shape).toEqual([3]);
  });

  it('errors name the op and the shape', () => {
    expect(() => jt.transpose(x3(), [0, 0, 1])).toThrow(
      'transpose: [0,0,1] is not a permutation of the axes of [2,3,4]',
    );
    expect(() => jt.transpose(x3(), [0, 1])).toThrow(jt.ShapeError);
    expect(() => jt.squeeze(jt.zeros([1, 3, 1]), 1)).toThrow(
      'squeeze: axis 1 of [1,3,1] has size 3, not 1',
    );
    expect(() => jt.swapAxes(x3(), 0, 3)).toThrow(
      'swapAxes: axis 3 is out of range for an array of rank 3',
    );
    expect(() => jt.expandDims(x3(), 5)).toThrow(/expandDims/);
  });

  it('transposing twice by a permutation and its inverse is the identity (property)', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 })
          .chain((shape) =>
            fc.tuple(
              fc.constant(shape),
              fc.shuffledSubarray([...shape.keys()], { minLength: shape.length }),
            ),
          ),
        ([shape, perm]) => {
          const x = jt.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
          const inv = perm.map((_, i) => perm.indexOf(i));
          const back = jt.transpose(jt.transpose(x, perm), inv);
          expect(back.toArray()).toEqual(x.toArray());
          // The default transpose (reverse the axes) is an involution.
          expect(jt.transpose(jt.transpose(x)).toArray()).toEqual(x.toArray());
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('concatenate, stack, split', () => {
  it('concatenate along any axis, promoting dtypes', () => {
    const c = jt.concatenate(
      [
        f32([[1, 2]]),
        jt.array(
          [
            [3, 4],
            [5, 6],
          ],
          { dtype: 'int32' },
        ),
      ],
      0,
    );
    expect(c.dtype).toBe('float32');
    expect(c.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(
      jt
        .concatenate(
          [
            f32([[1], [2]]),
            f32([
              [3, 4],
              [5, 6],
            ]),
          ],
          -1,
        )
        .toArray(),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
    expect(jt.concatenate([x3(), x3()], 1).shape).toEqual([2, 6, 4]);
    expect(at(jt.concatenate([x3(), x3()], 1), [1, 4, 2])).toBe(12 + 4 + 2);
  });

  it('concatenate errors', () => {
    expect(() => jt.concatenate([f32([[1, 2]]), f32([[3, 4, 5]])], 0)).toThrow(
      'concatenate: shapes [1,2], [1,3] differ outside axis 0',
    );
    expect(() => jt.concatenate([])).toThrow(jt.ValueError);
    expect(() => jt.concatenate([jt.scalar(1), jt.scalar(2)])).toThrow(jt.ShapeError);
  });

  it('stack along a new axis (negative too)', () => {
    const a = f32([1, 2]);
    const b = f32([3, 4]);
    expect(jt.stack([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(jt.stack([a, b], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(jt.stack([a, b], -1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(jt.stack([jt.scalar(1), jt.scalar(2)]).toArray()).toEqual([1, 2]);
    expect(() => jt.stack([a, f32([1])])).toThrow('stack: all shapes must be equal, got [2], [1]');
  });

  it('split into sections or at indices', () => {
    expect(jt.split(jt.arange(6), 3).map((p) => p.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(jt.split(jt.arange(6), [1, 4]).map((p) => p.toArray())).toEqual([
      [0],
      [1, 2, 3],
      [4, 5],
    ]);
    const [l, r] = jt.split(jt.arange(6).reshape([2, 3]), [1], -1);
    expect(l!.toArray()).toEqual([[0], [3]]);
    expect(r!.toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(() => jt.split(jt.arange(6), 4)).toThrow(
      'split: axis 0 of size 6 does not split into 4 equal sections',
    );
  });
});

describe('slice', () => {
  it('begin/end/strides with negatives and clipping', () => {
    const x = jt.arange(10);
    expect(jt.slice(x, [1], [8], [3]).toArray()).toEqual([1, 4, 7]);
    expect(jt.slice(x, [-3], [null]).toArray()).toEqual([7, 8, 9]);
    expect(jt.slice(x, [2], [-2], [2]).toArray()).toEqual([2, 4, 6]);
    expect(jt.slice(x, [-100], [100]).toArray()).toEqual(x.toArray());
    expect(jt.slice(x, [5], [2]).shape).toEqual([0]);
    expect(jt.slice(x, [0], [10], [4]).toArray()).toEqual([0, 4, 8]);
  });

  it('multi-axis with omitted trailing axes', () => {
    const m = jt.arange(12).reshape([3, 4]);
    expect(jt.slice(m, [1, 0], [3, 4], [1, 2]).toArray()).toEqual([
      [4, 6],
      [8, 10],
    ]);
    expect(jt.slice(m, [1]).toArray()).toEqual([
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(jt.slice(x3(), [0, -1, 1], [2, 3, 4], [1, 1, 2]).toArray()).toEqual([
      [[9, 11]],
      [[21, 23]],
    ]);
    expect(m.slice([0, 1], [2, null]).toArray()).toEqual([
      [1, 2, 3],
      [5, 6, 7],
    ]);
  });

  it('errors', () => {
    expect(() => jt.slice(jt.arange(4), [0], [4], [0])).toThrow(
      'slice: strides must be positive integers, got 0',
    );
    expect(() => jt.slice(jt.arange(4), [0, 0])).toThrow('slice: 2 indices for an array of rank 1');
  });
});

describe('pad, flip, tile, repeat', () => {
  it('pad with per-axis widths and a value', () => {
    expect(
      jt
        .pad(
          f32([[1, 2]]),
          [
            [1, 0],
            [0, 2],
          ],
          { value: 9 },
        )
        .toArray(),
    ).toEqual([
      [9, 9, 9, 9],
      [1, 2, 9, 9],
    ]);
    expect(jt.pad(f32([1, 2]), 1).toArray()).toEqual([0, 1, 2, 0]);
    const p = jt.pad(jt.array([1, 2], { dtype: 'int32' }), [[0, 1]], { value: -1 });
    expect(p.dtype).toBe('int32');
    expect(p.toArray()).toEqual([1, 2, -1]);
    expect(
      jt.pad(x3(), [
        [0, 0],
        [1, 1],
        [0, 0],
      ]).shape,
    ).toEqual([2, 5, 4]);
    expect(() =>
      jt.pad(f32([1]), [
        [1, 1],
        [1, 1],
      ]),
    ).toThrow('pad: widths must be 1 non-negative [lo, hi] pairs for [1]');
    expect(() => jt.pad(f32([1]), [[-1, 0]])).toThrow(jt.ShapeError);
  });

  it('flip all axes or some', () => {
    const m = jt.arange(6).reshape([2, 3]);
    expect(jt.flip(m).toArray()).toEqual([
      [5, 4, 3],
      [2, 1, 0],
    ]);
    expect(jt.flip(m, 1).toArray()).toEqual([
      [2, 1, 0],
      [5, 4, 3],
    ]);
    expect(jt.flip(m, [-2]).toArray()).toEqual([
      [3, 4, 5],
      [0, 1, 2],
    ]);
  });

  it('tile repeats the whole array, promoting rank either way', () => {
    expect(jt.tile(f32([[1, 2]]), [2, 2]).toArray()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(jt.tile(f32([1, 2]), 3).toArray()).toEqual([1, 2, 1, 2, 1, 2]);
    expect(jt.tile(f32([1, 2]), [2, 1, 2]).toArray()).toEqual([[[1, 2, 1, 2]], [[1, 2, 1, 2]]]);
    expect(
      jt
        .tile(
          f32([
            [1, 2],
            [3, 4],
          ]),
          2,
        )
        .toArray(),
    ).toEqual([
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
  });

  it('repeat repeats each element', () => {
    const m = f32([
      [1, 2],
      [3, 4],
    ]);
    expect(jt.repeat(m, 2, { axis: 1 }).toArray()).toEqual([
      [1, 1, 2, 2],
      [3, 3, 4, 4],
    ]);
    expect(jt.repeat(m, 2, { axis: 0 }).toArray()).toEqual([
      [1, 2],
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expect(jt.repeat(m, 3, { axis: -1 }).shape).toEqual([2, 6]);
    expect(jt.repeat(m, 2).toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });
});
