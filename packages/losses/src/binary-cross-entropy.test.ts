import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { binaryCrossEntropy } from './binary-cross-entropy';

describe('binaryCrossEntropy', () => {
  it('matches hand-computed values, soft targets included', () => {
    expectClose(
      binaryCrossEntropy(f32([0.9, 0.2]), f32([1, 0])),
      [-Math.log(0.9), -Math.log(0.8)],
      [2],
    );
    const soft = -(0.3 * Math.log(0.6) + 0.7 * Math.log(0.4));
    expectClose(
      binaryCrossEntropy(f64([[0.6, 0.9]]), f64([[0.3, 1]])),
      [(soft - Math.log(0.9)) / 2],
      [1],
      1e-12,
    );
  });
  it('clips probabilities at 0 and 1', () => {
    const out = binaryCrossEntropy(f64([0, 1, 1, 0]), f64([1, 0, 1, 0]), { eps: 1e-7 });
    const big = -Math.log(1e-7);
    const small = -Math.log(1 - 1e-7);
    expectClose(out, [big, big, small, small], [4], 1e-9);
    expectFiniteWithGrad((p) => binaryCrossEntropy(p, f32([1, 0, 1, 0])), f32([0, 1, 1, 0]));
  });
  it('has correct gradients', () => {
    expectGradsOk((p) => binaryCrossEntropy(p, f64([1, 0, 0.3])), [f64([0.7, 0.4, 0.55])]);
  });
  it('rejects values outside [0, 1]', () => {
    expect(() => binaryCrossEntropy(f32([1.5]), f32([1]))).toThrow(jt.ValueError);
    expect(() => binaryCrossEntropy(f32([1.5]), f32([1]))).toThrow(
      /binaryCrossEntropy: probabilities must lie in \[0, 1\], got 1.5/,
    );
    expect(() => binaryCrossEntropy(f32([0.5]), f32([-1]))).toThrow(/targets must lie in/);
    expect(() => binaryCrossEntropy(f32([Number.NaN]), f32([1]))).toThrow(jt.ValueError);
  });
});
