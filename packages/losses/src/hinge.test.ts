import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { hinge } from './hinge';

describe('hinge', () => {
  it('is max(0, 1 - t·p)', () => {
    expectClose(hinge(f32([0.5, -2, 2, 0.3]), f32([1, 1, 1, -1])), [0.5, 3, 0, 1.3], [4]);
    expectClose(hinge(f32([[0.5, -2]]), f32([[1, 1]])), [1.75], [1]);
  });
  it('is finite at extreme values', () => {
    expectFiniteWithGrad((x) => hinge(x, f32([1, 1, -1])), f32([1e4, -1e4, 1e4]));
  });
  it('has correct gradients', () => {
    expectGradsOk((x) => hinge(x, f64([1, -1, 1, -1])), [f64([0.3, -0.2, 2, 1.5])]);
  });
  it('rejects 0/1 targets', () => {
    expect(() => hinge(f32([0.5]), f32([0]))).toThrow(jt.ValueError);
    expect(() => hinge(f32([0.5]), f32([0]))).toThrow(/hinge: targets must be -1 or 1, got 0/);
  });
});
