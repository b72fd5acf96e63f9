import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64, i32 } from '../test/helpers';
import { generalizedCrossEntropy } from './generalized-cross-entropy';
import { sparseSoftmaxCrossEntropy } from './sparse-softmax-cross-entropy';

describe('generalizedCrossEntropy', () => {
  it('matches (1 - p_y^q) / q', () => {
    const p = 1 / (1 + Math.exp(-2)); // softmax([2, 0])[0]
    expectClose(generalizedCrossEntropy(f64([[0, 0]]), i32([0]), { q: 1 }), [0.5], [1], 1e-12);
    expectClose(
      generalizedCrossEntropy(f64([[2, 0]]), i32([0]), { q: 0.5 }),
      [(1 - Math.sqrt(p)) / 0.5],
      [1],
      1e-12,
    );
    expectClose(
      generalizedCrossEntropy(f64([[2, 0]]), i32([1])),
      [(1 - (1 - p) ** 0.7) / 0.7],
      [1],
      1e-12,
    );
  });
  it('approaches cross-entropy as q → 0', () => {
    const logits = f64([
      [2, 0, -1],
      [0.5, 0.1, 3],
    ]);
    const labels = i32([0, 1]);
    const ce = Array.from(sparseSoftmaxCrossEntropy(logits, labels).data());
    expectClose(generalizedCrossEntropy(logits, labels, { q: 1e-6 }), ce, [2], 1e-5);
  });
  it('is bounded by 1/q and finite at logits ±1e4', () => {
    const x = f32([
      [1e4, -1e4],
      [1e4, -1e4],
    ]);
    const labels = i32([1, 0]);
    expectClose(generalizedCrossEntropy(x, labels, { q: 0.5 }), [2, 0], [2]);
    expectFiniteWithGrad((y) => generalizedCrossEntropy(y, labels, { q: 0.5 }), x);
  });
  it('has correct gradients', () => {
    expectGradsOk(
      (x) => generalizedCrossEntropy(x, i32([2, 0]), { q: 0.7 }),
      [
        f64([
          [0.3, -2, 1],
          [5, -0.7, 0],
        ]),
      ],
    );
  });
  it('rejects q outside (0, 1] and bad labels', () => {
    expect(() => generalizedCrossEntropy(f32([[0, 0]]), i32([0]), { q: 0 })).toThrow(jt.ValueError);
    expect(() => generalizedCrossEntropy(f32([[0, 0]]), i32([0]), { q: 1.5 })).toThrow(
      jt.ValueError,
    );
    expect(() => generalizedCrossEntropy(f32([[0, 0]]), i32([3]))).toThrow(
      /generalizedCrossEntropy: label 3/,
    );
  });
  it('has correct second derivatives', () => {
    expectGradsOk(
      (x) => generalizedCrossEntropy(x, i32([2]), { q: 0.7 }),
      [f64([[0.3, -2, 1]])],
      2,
    );
  });
});
