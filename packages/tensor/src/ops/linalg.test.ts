import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const f32 = (v: jt.NestedArray) => jt.array(v);
const i32 = (v: jt.NestedArray) => jt.array(v, { dtype: 'int32' });

const A = () =>
  f32([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const B = () =>
  f32([
    [1, 0],
    [0, 1],
    [1, 1],
  ]);

/** Naive batched matmul on nested arrays, for comparison. */
function naiveMatmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

describe('matmul', () => {
  it('2-D products', () => {
    expect(jt.matmul(A(), B()).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(A().matmul(B()).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(jt.matmul(jt.eye(3), B()).toArray()).toEqual(B().toArray());
  });

  it('vectors on either side', () => {
    expect(jt.matmul(A(), f32([1, 1, 1])).toArray()).toEqual([6, 15]);
    expect(jt.matmul(f32([1, 1]), A()).toArray()).toEqual([5, 7, 9]);
    expect(jt.matmul(f32([1, 2]), f32([3, 4])).toArray()).toBe(11);
    expect(jt.matmul(jt.ones([2, 2, 3]), jt.ones([3])).shape).toEqual([2, 2]);
    expect(jt.matmul(jt.ones([3]), jt.ones([2, 3, 4])).shape).toEqual([2, 4]);
  });

  it('broadcasts batch axes', () => {
    expect(jt.matmul(jt.ones([2, 1, 2, 3]), jt.ones([5, 3, 4])).shape).toEqual([2, 5, 2, 4]);
    const a = jt.arange(12).astype('float32').reshape([2, 2, 3]);
    const out = jt.matmul(a, B());
    const nested = a.toArray() as number[][][];
    expect(out.toArray()).toEqual(nested.map((m) => naiveMatmul(m, B().toArray() as number[][])));
    // Batch of 1 on the right broadcasts against 2 on the left.
    const out2 = jt.matmul(a, jt.expandDims(B(), 0));
    expect(out2.toArray()).toEqual(out.toArray());
  });

  it('matches a naive product on random shapes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (m, k, n) => {
          const a = [...Array(m)].map((_, i) =>
            [...Array(k)].map((_, j) => ((i * 7 + j * 3) % 5) - 2),
          );
          const b = [...Array(k)].map((_, i) =>
            [...Array(n)].map((_, j) => ((i * 5 + j * 2) % 7) - 3),
          );
          expect(jt.matmul(f32(a), f32(b)).toArray()).toEqual(naiveMatmul(a, b));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('promotes dtypes: int32 stays int32, bool computes as int32', () => {
    const p = jt.matmul(i32([[1, 2]]), i32([[3], [4]]));
    expect(p.dtype).toBe('int32');
    expect(p.toArray()).toEqual([[11]]);
    expect(jt.matmul(jt.array([[true, true]]), jt.array([[true], [true]])).toArray()).toEqual([
      [2],
    ]);
    expect(jt.matmul(i32([[1]]), f32([[0.5]])).dtype).toBe('float32');
  });

  it('errors name the op and both shapes', () => {
    expect(() => jt.matmul(jt.ones([2, 3]), jt.ones([4, 5]))).toThrow(
      'matmul: contracting dimensions differ: [2,3] @ [4,5]',
    );
    expect(() => jt.matmul(jt.ones([2, 3]), jt.ones([4, 5]))).toThrow(jt.ShapeError);
    expect(() => jt.matmul(jt.ones([3]), jt.ones([4]))).toThrow(
      'matmul: contracting dimensions differ: [3] @ [4]',
    );
    expect(() => jt.matmul(jt.ones([2, 2, 3]), jt.ones([3, 3, 4]))).toThrow(
      /matmul: .*\[2,2,3\].*\[3,3,4\]/,
    );
    expect(() => jt.matmul(jt.ones([2]), jt.scalar(2))).toThrow(
      /matmul: operands must be at least 1-D/,
    );
  });
});

describe('dot and outer', () => {
  it('dot: inner product, scalar, matrix and N-D', () => {
    expect(jt.dot(f32([1, 2, 3]), f32([4, 5, 6])).toArray()).toBe(32);
    expect(jt.dot(f32([1, 2, 3]), 2).toArray()).toEqual([2, 4, 6]);
    expect(jt.dot(A(), B()).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    // N-D: sum over the last axis of a and the second-to-last of b.
    const a = jt.arange(24).astype('float32').reshape([2, 3, 4]);
    const b = jt.arange(40).astype('float32').reshape([5, 4, 2]);
    const d = jt.dot(a, b);
    expect(d.shape).toEqual([2, 3, 5, 2]);
    const ad = a.data();
    const bd = b.data();
    let want = 0;
    for (let k = 0; k < 4; k++) want += ad[1 * 12 + 2 * 4 + k]! * bd[3 * 8 + k * 2 + 1]!;
    expect(d.data()[((1 * 3 + 2) * 5 + 3) * 2 + 1]).toBe(want);
    expect(jt.dot(a, f32([1, 1, 1, 1])).toArray()).toEqual([
      [6, 22, 38],
      [54, 70, 86],
    ]);
    expect(() => jt.dot(jt.ones([2, 3, 4]), jt.ones([5, 3, 6]))).toThrow(
      'dot: contracting dimensions differ: [2,3,4] . [5,3,6]',
    );
  });

  it('outer flattens its inputs', () => {
    expect(jt.outer(f32([1, 2]), f32([3, 4, 5])).toArray()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(jt.outer(f32([[1], [2]]), f32([3])).shape).toEqual([2, 1]);
  });
});

describe('einsum', () => {
  it('matrix products, batch, transpose, sums, outer and inner products', () => {
    expect(jt.einsum('ij,jk->ik', A(), B()).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(jt.einsum('ij,jk', A(), B()).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(jt.einsum('ij,jk->ki', A(), B()).toArray()).toEqual([
      [4, 10],
      [5, 11],
    ]);
    expect(jt.einsum('ij->ji', A()).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(jt.einsum('ji', A()).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(jt.einsum('ij->', A()).toArray()).toBe(21);
    expect(jt.einsum('ij->i', A()).toArray()).toEqual([6, 15]);
    expect(jt.einsum('i,j->ij', f32([1, 2]), f32([3, 4, 5])).toArray()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(jt.einsum('i,i->', f32([1, 2]), f32([3, 4])).toArray()).toBe(11);
    expect(jt.einsum('i,i->i', f32([1, 2]), f32([3, 4])).toArray()).toEqual([3, 8]);
    expect(jt.einsum('ij,kl->ik', A(), B()).toArray()).toEqual([
      [6, 6, 12],
      [15, 15, 30],
    ]);
    expect(jt.einsum(' b i , i j -> b j ', A(), B()).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
  });

  it('contracts operands stored transposed (the layouts of matmul gradients)', () => {
    // Large enough for the WASM kernel, which reads transposed operands in place.
    const [bt, m, k, n] = [2, 17, 33, 20];
    const a = jt.random.normal(jt.random.key(1), [bt, m, k]);
    const b = jt.random.normal(jt.random.key(2), [bt, k, n]);
    const expected = a.toArray() as number[][][];
    const want = expected.map((ai, i) => naiveMatmul(ai, (b.toArray() as number[][][])[i]!));
    const at = jt.swapAxes(a, 1, 2);
    const btr = jt.swapAxes(b, 1, 2);
    for (const got of [
      jt.einsum('bmk,bkn->bmn', a, b),
      jt.einsum('bkm,bkn->bmn', at, b),
      jt.einsum('bmk,bnk->bmn', a, btr),
      jt.einsum('bkm,bnk->bmn', at, btr),
    ]) {
      const g = got.toArray() as number[][][];
      for (const [i, gi] of g.entries())
        for (const [r, row] of gi.entries())
          for (const [c, v] of row.entries()) expect(v).toBeCloseTo(want[i]![r]![c]!, 4);
    }
  });

  it('batched contraction equals matmul', () => {
    const a = jt.arange(12).astype('float32').reshape([2, 2, 3]);
    const b = jt.arange(24).astype('float32').reshape([2, 3, 4]);
    expect(jt.einsum('bij,bjk->bik', a, b).toArray()).toEqual(jt.matmul(a, b).toArray());
    expect(jt.einsum('bij,bjk->bki', a, b).toArray()).toEqual(
      jt.swapAxes(jt.matmul(a, b), 1, 2).toArray(),
    );
  });

  it('errors', () => {
    expect(() => jt.einsum('ij,jk->ik', A(), A())).toThrow(
      "einsum: subscript 'j' has sizes 3 and 2",
    );
    expect(() => jt.einsum('ii->', jt.eye(2))).toThrow(jt.ValueError);
    expect(() => jt.einsum('ijk->', A())).toThrow("einsum: 'ijk' has 3 subscripts for [2,3]");
    expect(() => jt.einsum('ij,jk->ik', A())).toThrow(jt.ValueError);
    expect(() => jt.einsum('ij->iz', A())).toThrow(/einsum: .*'z'/);
    expect(() => jt.einsum('ij->ii', A())).toThrow(jt.ValueError);
  });
});
