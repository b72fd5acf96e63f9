import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { sigmoidBinaryCrossEntropy } from './sigmoid-binary-cross-entropy';

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

describe('sigmoidBinaryCrossEntropy', () => {
  it('matches hand-computed values', () => {
    const out = sigmoidBinaryCrossEntropy(f64([0, 2, -3]), f64([1, 1, 0.25]));
    expectClose(out, [Math.LN2, softplus(-2), softplus(-3) + 0.75], [3], 1e-12);
    expectClose(
      sigmoidBinaryCrossEntropy(f32([[0, 2]]), f32([[1, 1]])),
      [(Math.LN2 + softplus(-2)) / 2],
      [1],
    );
  });
  it('is exact and finite at logits ±1e4', () => {
    const x = f32([1e4, -1e4, 1e4, -1e4]);
    const t = f32([0, 1, 1, 0]);
    expectClose(sigmoidBinaryCrossEntropy(x, t), [1e4, 1e4, 0, 0], [4]);
    expectFiniteWithGrad((y) => sigmoidBinaryCrossEntropy(y, t), x);
  });
  it('has gradient σ(x) - t, 1/2 - t at x = 0', () => {
    const g = grad((x: jt.Array) => jt.sum(sigmoidBinaryCrossEntropy(x, f32([1, 0, 1]))))(
      f32([0, 0, 1e4]),
    ) as jt.Array;
    expectClose(g, [-0.5, 0.5, 0], [3]);
  });
  it('has correct gradients', () => {
    expectGradsOk(
      (x) =>
        sigmoidBinaryCrossEntropy(
          x,
          f64([
            [1, 0],
            [0.3, 1],
          ]),
        ),
      [
        f64([
          [0.3, -2],
          [5, -0.7],
        ]),
      ],
    );
    expectGradsOk((x) => sigmoidBinaryCrossEntropy(x, f64([1, 0])), [f64([0, 0])]);
  });
  it('rejects bad targets and shapes', () => {
    expect(() => sigmoidBinaryCrossEntropy(f32([0]), f32([2]))).toThrow(jt.ValueError);
    expect(() => sigmoidBinaryCrossEntropy(f32([0, 1]), f32([[1, 0]]))).toThrow(
      /sigmoidBinaryCrossEntropy: logits \[2\] and targets \[1,2\]/,
    );
  });
  it('has correct second derivatives', () => {
    expectGradsOk((x) => sigmoidBinaryCrossEntropy(x, f64([1, 0, 0.3])), [f64([0.3, -2, 0])], 2);
  });
});
