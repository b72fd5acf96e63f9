import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64, i32 } from '../test/helpers';
import { meanSquaredError } from './mean-squared-error';

describe('meanSquaredError', () => {
  it('is the squared error per example for [batch] inputs', () => {
    expectClose(meanSquaredError(f32([1, 2, -1]), f32([0, 4, -1])), [1, 4, 0], [3]);
  });
  it('averages over the last axis', () => {
    expectClose(
      meanSquaredError(
        f32([
          [1, 2],
          [0, 0],
        ]),
        f32([
          [0, 4],
          [3, 1],
        ]),
      ),
      [2.5, 5],
      [2],
    );
    expectClose(
      meanSquaredError(jt.zeros([2, 3, 4]), jt.ones([2, 3, 4])),
      [
        [1, 1, 1],
        [1, 1, 1],
      ],
      [2, 3],
    );
  });
  it('accepts integer targets and keeps float64', () => {
    const out = meanSquaredError(f64([1.5]), i32([1]));
    expect(out.dtype).toBe('float64');
    expectClose(out, [0.25], [1]);
  });
  it('is finite at extreme values', () => {
    expectFiniteWithGrad((x) => meanSquaredError(x, f32([1, -1])), f32([1e4, -1e4]));
  });
  it('has correct gradients', () => {
    const t = f64([
      [0.3, -1],
      [2, 0.5],
    ]);
    expectGradsOk(
      (x) => meanSquaredError(x, t),
      [
        f64([
          [1, 2],
          [-0.5, 0.7],
        ]),
      ],
    );
    expectGradsOk((x, y) => meanSquaredError(x, y), [f64([1, 2]), f64([0.1, -0.4])]);
  });
  it('rejects mismatched shapes and integer predictions', () => {
    expect(() => meanSquaredError(f32([[1], [2]]), f32([1, 2]))).toThrow(jt.ShapeError);
    expect(() => meanSquaredError(f32([[1], [2]]), f32([1, 2]))).toThrow(
      /meanSquaredError: predictions \[2,1\] and targets \[2\]/,
    );
    expect(() => meanSquaredError(i32([1]), i32([1]))).toThrow(jt.DTypeError);
  });
});
