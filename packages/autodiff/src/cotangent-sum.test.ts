import * as jt from '@jute/tensor';
import { describe, expect, test } from 'vitest';
import { addDense, addPiece, emptySum, pieceAxis, total } from './cotangent-sum';
import { checkGrads, grad, vjp } from './index';
import { f64 } from './test-utils';

/** Sum of each slice times its own weight: the gradient is the weight where the slice is. */
const weightedSlices =
  (slices: [number, number, number][], axis: number) =>
  (x: jt.Array): jt.Array =>
    slices
      .map(([lo, hi, w]) => {
        const start = x.shape.map((_, i) => (i === axis ? lo : 0));
        const limit = x.shape.map((d, i) => (i === axis ? hi : d));
        return jt.mul(jt.sum(jt.slice(x, start, limit)), w);
      })
      .reduce((a, b) => jt.add(a, b));

/** The expected gradient: per position along `axis`, the sum of the weights covering it. */
function expected(shape: number[], axis: number, slices: [number, number, number][]) {
  const along = Array.from({ length: shape[axis]! }, (_, i) =>
    slices.reduce((s, [lo, hi, w]) => s + (i >= lo && i < hi ? w : 0), 0),
  );
  return jt
    .broadcastTo(
      jt.reshape(
        f64(along),
        shape.map((d, i) => (i === axis ? d : 1)),
      ),
      shape,
    )
    .toArray() as unknown;
}

describe('slice cotangents summed as pieces', () => {
  const x = jt.random.normal(jt.random.key(0), [3, 8], { dtype: 'float64' });
  const cases: [string, number, [number, number, number][]][] = [
    [
      'tiling an axis (the LSTM gates)',
      1,
      [
        [0, 2, 1],
        [2, 4, 2],
        [4, 6, 3],
        [6, 8, 4],
      ],
    ],
    [
      'with gaps',
      1,
      [
        [1, 3, 1],
        [5, 6, 2],
      ],
    ],
    [
      'overlapping',
      1,
      [
        [0, 5, 1],
        [3, 8, 2],
      ],
    ],
    [
      'along the first axis',
      0,
      [
        [0, 1, 5],
        [2, 3, -1],
      ],
    ],
    ['a whole-array slice', 1, [[0, 8, 7]]],
  ];
  test.each(cases)('%s', (_name, axis, slices) => {
    const g = grad(weightedSlices(slices, axis))(x);
    expect(g.toArray()).toEqual(expected(x.shape as number[], axis, slices));
  });

  test('pieces along different axes, and mixed with dense cotangents', () => {
    const f = (y: jt.Array) =>
      jt.add(
        jt.add(jt.sum(jt.slice(y, [0, 0], [1, 8])), jt.sum(jt.mul(jt.slice(y, [0, 2], [3, 5]), 3))),
        jt.sum(jt.square(y)),
      );
    checkGrads(f, [x], { order: 1 });
    const g = grad(f)(x).toArray() as number[][];
    const xs = x.toArray() as number[][];
    for (const [i, row] of g.entries()) {
      for (const [j, v] of row.entries()) {
        const want = 2 * xs[i]![j]! + (i === 0 ? 1 : 0) + (j >= 2 && j < 5 ? 3 : 0);
        expect(v).toBeCloseTo(want, 12);
      }
    }
  });

  test('vjp with a cotangent for the slices of a split', () => {
    const [, back] = vjp((y: jt.Array) => jt.split(y, 4, 1), x);
    const cts = [0, 1, 2, 3].map((k) => jt.full([3, 2], k + 1, { dtype: 'float64' }));
    const [gx] = back(cts);
    expect((gx!.toArray() as number[][])[0]).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });
});

describe('CotangentSum', () => {
  const aval = { shape: [2, 4], dtype: 'float32' } as const;
  const piece = (value: number[][], start: number) => ({ value: jt.array(value), axis: 1, start });

  test('null when nothing reached the variable; dense alone when no pieces', () => {
    expect(total(emptySum, aval)).toBeNull();
    const d = jt.ones([2, 4]);
    expect(total(addDense(emptySum, d), aval)).toBe(d);
  });

  test('adds the dense part to the placed pieces', () => {
    const sum = addPiece(addDense(emptySum, jt.ones([2, 4])), piece([[5], [6]], 2));
    expect(total(sum, aval)!.toArray()).toEqual([
      [1, 1, 6, 1],
      [1, 1, 7, 1],
    ]);
  });

  test('pieceAxis: unit strides, one partial axis', () => {
    const shape = [4, 6];
    expect(pieceAxis({ start: [0, 2], limit: [4, 5], strides: [1, 1] }, shape)).toBe(1);
    expect(pieceAxis({ start: [0, 0], limit: [4, 6], strides: [1, 1] }, shape)).toBe(0);
    expect(pieceAxis({ start: [1, 2], limit: [4, 5], strides: [1, 1] }, shape)).toBeUndefined();
    expect(pieceAxis({ start: [0, 0], limit: [4, 6], strides: [1, 2] }, shape)).toBeUndefined();
  });
});
