import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64 } from '../test/helpers';
import * as nn from './index';

describe('rmsNorm', () => {
  it('divides each row by its root mean square, then scales per feature', () => {
    const norm = nn.rmsNorm({ eps: 0 });
    const { params, outputShape } = norm.init(jt.random.key(0), [2, 2]);
    expect(outputShape).toEqual([2, 2]);
    expectClose(params.scale!, [1, 1]);
    const x = f64([
      [3, 4],
      [-1, 1],
    ]);
    // Row 1: sqrt((9 + 16) / 2) = sqrt(12.5); row 2: sqrt((1 + 1) / 2) = 1.
    const r = Math.sqrt(12.5);
    expectClose(norm.apply({ scale: f64([2, -1]) }, x).y, [
      [6 / r, -4 / r],
      [-2, -1],
    ]);
  });
  it('adds eps under the root, and can go without a scale', () => {
    const norm = nn.rmsNorm({ eps: 0.5, useScale: false });
    const { params } = norm.init(jt.random.key(0), [1, 2]);
    expect(params).toEqual({});
    expectClose(norm.apply(params, f64([[1, 1]])).y, [[1 / Math.sqrt(1.5), 1 / Math.sqrt(1.5)]]);
  });
  it('checks features and has correct gradients', () => {
    const norm = nn.rmsNorm();
    const { params } = norm.init(jt.random.key(0), [3, 4]);
    expect(() => norm.apply(params, jt.ones([3, 5]))).toThrow(
      /rms_norm: expected 4 input features/,
    );
    const x = jt.random.normal(jt.random.key(1), [3, 4], { dtype: 'float64' });
    expectGradsOk(
      (s: jt.Array, v: jt.Array) => norm.apply({ scale: s }, v).y,
      [f64([1, 2, 3, 4]), x],
    );
  });
});
