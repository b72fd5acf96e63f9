import { grad, vmap } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64, i32 } from '../test/helpers';
import { softmaxCrossEntropy } from './softmax-cross-entropy';
import { sparseSoftmaxCrossEntropy } from './sparse-softmax-cross-entropy';

const lse2 = Math.log1p(Math.exp(-2));

describe('sparseSoftmaxCrossEntropy', () => {
  it('matches hand-computed values', () => {
    expectClose(
      sparseSoftmaxCrossEntropy(
        f32([
          [2, 0],
          [0, 0],
          [2, 0],
        ]),
        i32([0, 1, 1]),
      ),
      [lse2, Math.LN2, 2 + lse2],
      [3],
    );
  });
  it('equals softmaxCrossEntropy with one-hot labels, over [batch, time, classes]', () => {
    const logits = jt.random.normal(jt.random.key(0), [2, 3, 5]);
    const labels = i32([
      [0, 4, 2],
      [1, 1, 3],
    ]);
    const dense = softmaxCrossEntropy(logits, jt.oneHot(labels, 5));
    const sparse = sparseSoftmaxCrossEntropy(logits, labels);
    expect(sparse.shape).toEqual([2, 3]);
    expectClose(sparse, Array.from(dense.data()), [2, 3]);
  });
  it('applies label smoothing as (1 - ε)·oneHot + ε/K', () => {
    // target [0.9, 0.1]
    expectClose(
      sparseSoftmaxCrossEntropy(f64([[2, 0]]), i32([0]), { labelSmoothing: 0.2 }),
      [0.9 * lse2 + 0.1 * (2 + lse2)],
      [1],
      1e-12,
    );
    const logits = f64([[0.3, -1, 2]]);
    const smooth = sparseSoftmaxCrossEntropy(logits, i32([2]), { labelSmoothing: 0.3 });
    const dense = softmaxCrossEntropy(logits, f64([[0.1, 0.1, 0.8]]));
    expectClose(smooth, Array.from(dense.data()), [1], 1e-12);
  });
  it('gives loss and gradient 0 at ignoreIndex', () => {
    const logits = f32([
      [2, 0],
      [3, -1],
    ]);
    const labels = i32([0, -100]);
    expectClose(sparseSoftmaxCrossEntropy(logits, labels, { ignoreIndex: -100 }), [lse2, 0], [2]);
    const g = grad((x: jt.Array) =>
      jt.sum(sparseSoftmaxCrossEntropy(x, labels, { ignoreIndex: -100, labelSmoothing: 0.1 })),
    )(logits) as jt.Array;
    expectClose(jt.slice(g, [1], [2]), [[0, 0]], [1, 2]);
  });
  it('is exact and finite at logits ±1e4', () => {
    const x = f32([
      [1e4, -1e4, 0],
      [1e4, -1e4, 0],
    ]);
    const labels = i32([1, 0]);
    expectClose(sparseSoftmaxCrossEntropy(x, labels), [2e4, 0], [2]);
    expectFiniteWithGrad((y) => sparseSoftmaxCrossEntropy(y, labels, { labelSmoothing: 0.1 }), x);
  });
  it('has correct gradients', () => {
    const logits = f64([
      [0.3, -2, 1],
      [5, -0.7, 0],
    ]);
    expectGradsOk((x) => sparseSoftmaxCrossEntropy(x, i32([2, 0])), [logits]);
    expectGradsOk(
      (x) => sparseSoftmaxCrossEntropy(x, i32([2, 0]), { labelSmoothing: 0.1 }),
      [logits],
    );
  });
  it('works under vmap with batched labels', () => {
    const logits = f32([
      [2, 0],
      [0, 0],
    ]);
    const per = vmap((x: jt.Array, y: jt.Array) => sparseSoftmaxCrossEntropy(x, y))(
      logits,
      i32([0, 1]),
    ) as jt.Array;
    expectClose(per, [lse2, Math.LN2], [2]);
  });
  it('rejects float labels, wrong shapes and out-of-range labels', () => {
    expect(() => sparseSoftmaxCrossEntropy(f32([[1, 2]]), f32([0]))).toThrow(jt.DTypeError);
    expect(() => sparseSoftmaxCrossEntropy(f32([[1, 2]]), i32([0, 1]))).toThrow(jt.ShapeError);
    expect(() => sparseSoftmaxCrossEntropy(f32([[1, 2]]), i32([0, 1]))).toThrow(
      /labels \[2\] must have shape \[1\]/,
    );
    expect(() => sparseSoftmaxCrossEntropy(f32([[1, 2]]), i32([2]))).toThrow(jt.ValueError);
    expect(() => sparseSoftmaxCrossEntropy(f32([[1, 2]]), i32([-1]))).toThrow(
      /label -1 at flat index 0 is out of range for 2 classes/,
    );
    expect(() => sparseSoftmaxCrossEntropy(f32([[1, 2]]), i32([0]), { labelSmoothing: 1 })).toThrow(
      jt.ValueError,
    );
  });
  it('has correct second derivatives', () => {
    expectGradsOk(
      (x) => sparseSoftmaxCrossEntropy(x, i32([2]), { labelSmoothing: 0.1 }),
      [f64([[0.3, -2, 1]])],
      2,
    );
  });
});
