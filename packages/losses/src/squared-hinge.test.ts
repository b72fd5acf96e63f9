import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { squaredHinge } from './squared-hinge';

describe('squaredHinge', () => {
  it('is max(0, 1 - t·p)²', () => {
    expectClose(squaredHinge(f32([0.5, -2, 2, 0.3]), f32([1, 1, 1, -1])), [0.25, 9, 0, 1.69], [4]);
    expectClose(squaredHinge(f32([[0.5, -2]]), f32([[1, 1]])), [4.625], [1]);
  });
  it('is finite at extreme values', () => {
    expectFiniteWithGrad((x) => squaredHinge(x, f32([1, 1, -1])), f32([1e4, -1e4, 1e4]));
  });
  it('has correct gradients', () => {
    expectGradsOk((x) => squaredHinge(x, f64([1, -1, 1, -1])), [f64([0.3, -0.2, 2, 1.5])]);
  });
  it('rejects mismatched shapes and bad targets', () => {
    expect(() => squaredHinge(f32([0.5, 1]), f32([1]))).toThrow(
      /squaredHinge: predictions \[2\] and targets \[1\]/,
    );
    expect(() => squaredHinge(f32([0.5]), f32([2]))).toThrow(jt.ValueError);
  });
});
