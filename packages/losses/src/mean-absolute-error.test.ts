import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { meanAbsoluteError } from './mean-absolute-error';

describe('meanAbsoluteError', () => {
  it('matches hand-computed values', () => {
    expectClose(meanAbsoluteError(f32([[1, 2]]), f32([[0, 4]])), [1.5], [1]);
    expectClose(meanAbsoluteError(f32([1, -3]), f32([1, 0])), [0, 3], [2]);
  });
  it('has gradient sign(p - t), 0 at p = t', () => {
    const g = grad((x: jt.Array) => jt.sum(meanAbsoluteError(x, f32([0, 0, 0]))))(
      f32([2, -1, 0]),
    ) as jt.Array;
    expectClose(g, [1, -1, 0], [3]);
  });
  it('is finite at extreme values', () => {
    expectFiniteWithGrad((x) => meanAbsoluteError(x, f32([0, 0])), f32([1e4, -1e4]));
  });
  it('has correct gradients', () => {
    expectGradsOk(
      (x) =>
        meanAbsoluteError(
          x,
          f64([
            [0.3, -1],
            [2, 0.5],
          ]),
        ),
      [
        f64([
          [1, 2],
          [-0.5, 0.7],
        ]),
      ],
    );
  });
  it('rejects mismatched shapes', () => {
    expect(() => meanAbsoluteError(f32([1, 2, 3]), f32([1, 2]))).toThrow(
      /meanAbsoluteError: predictions \[3\] and targets \[2\]/,
    );
  });
});
