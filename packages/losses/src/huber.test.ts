import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { huber } from './huber';

describe('huber', () => {
  it('is quadratic inside delta and linear outside', () => {
    expectClose(huber(f32([0.5, 3, -3]), f32([0, 0, 0])), [0.125, 2.5, 2.5], [3]);
    expectClose(huber(f32([1, 3]), f32([0, 0]), { delta: 2 }), [0.5, 4], [2]);
  });
  it('averages over the last axis', () => {
    expectClose(huber(f32([[0.5, 3]]), f32([[0, 0]])), [1.3125], [1]);
  });
  it('is finite at extreme values', () => {
    expectFiniteWithGrad((x) => huber(x, f32([0, 0])), f32([1e4, -1e4]));
    expectFiniteWithGrad((x) => huber(x, f32([0])), f32([3e38]));
  });
  it('has correct gradients on both sides of delta', () => {
    expectGradsOk((x) => huber(x, f64([0, 0, 1, 1]), { delta: 1.5 }), [f64([0.3, -4, 2, -0.7])]);
    // second order, including a zero residual (curvature 1 there, not 0)
    expectGradsOk((x) => huber(x, f64([0.3, 0, 1, 1])), [f64([0.3, -4, 1.2, -0.7])], 2);
  });
  it('rejects bad options and shapes', () => {
    expect(() => huber(f32([1]), f32([1]), { delta: 0 })).toThrow(jt.ValueError);
    expect(() => huber(f32([1]), f32([[1]]))).toThrow(jt.ShapeError);
  });
  it('has correct second derivatives', () => {
    // at a zero residual the curvature is 1, not 0
    expectGradsOk((x) => huber(x, f64([0.3, 0, 1, 1])), [f64([0.3, -4, 1.2, -0.7])], 2);
  });
});
