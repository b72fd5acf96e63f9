import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk } from '../test/helpers';
import * as nn from './index';

// 1×4×4×1 image 0..15
const img = jt.reshape(jt.arange(0, 16, 1, { dtype: 'float64' }), [1, 4, 4, 1]);

describe('pooling', () => {
  it('maxPool2d takes the max of each window', () => {
    const p = nn.maxPool2d({ window: [2, 2] });
    expect(p.init(jt.random.key(0), [3, 28, 28, 8]).outputShape).toEqual([3, 14, 14, 8]);
    expectClose(jt.reshape(p.apply({}, img).y, [2, 2]), [
      [5, 7],
      [13, 15],
    ]);
    const overlapping = nn.maxPool2d({ window: 3, strides: 1 });
    expectClose(jt.reshape(overlapping.apply({}, img).y, [2, 2]), [
      [10, 11],
      [14, 15],
    ]);
  });
  it('avgPool2d averages each window; SAME averages only real inputs', () => {
    expectClose(jt.reshape(nn.avgPool2d({ window: 2 }).apply({}, img).y, [2, 2]), [
      [2.5, 4.5],
      [10.5, 12.5],
    ]);
    const same = nn.avgPool2d({ window: 3, strides: 3, padding: 'SAME' });
    expect(same.init(jt.random.key(0), [1, 4, 4, 1]).outputShape).toEqual([1, 2, 2, 1]);
    // SAME pads 1 before and 1 after: the first window covers rows/cols 0..1.
    expectClose(jt.reshape(same.apply({}, img).y, [2, 2]), [
      [2.5, 4.5],
      [10.5, 12.5],
    ]);
  });
  it('global pooling and flatten', () => {
    const x = jt.reshape(jt.arange(0, 12, 1, { dtype: 'float64' }), [1, 2, 3, 2]);
    expectClose(nn.globalAvgPool().apply({}, x).y, [[5, 6]]);
    expectClose(nn.globalMaxPool().apply({}, x).y, [[10, 11]]);
    expect(nn.globalAvgPool().init(jt.random.key(0), [4, 7, 7, 16]).outputShape).toEqual([4, 16]);
    expect(nn.flatten().init(jt.random.key(0), [4, 7, 7, 16]).outputShape).toEqual([4, 784]);
    expect(nn.flatten().apply({}, x).y.shape).toEqual([1, 12]);
  });
  it('rejects bad ranks and windows larger than the input', () => {
    expect(() => nn.maxPool2d({ window: 2 }).init(jt.random.key(0), [4, 4, 1])).toThrow(
      /max_pool2d: expected an input of rank 4/,
    );
    expect(() => nn.maxPool2d({ window: 5 }).init(jt.random.key(0), [1, 4, 4, 1])).toThrow(
      jt.ShapeError,
    );
    expect(() => nn.globalAvgPool().apply({}, jt.ones([3, 4]))).toThrow(/global_avg_pool/);
  });
  it('has correct gradients', () => {
    const x = jt.random.normal(jt.random.key(3), [1, 4, 4, 2], { dtype: 'float64' });
    expectGradsOk((v: jt.Array) => nn.maxPool2d({ window: 2 }).apply({}, v).y, [x]);
    expectGradsOk(
      (v: jt.Array) => nn.avgPool2d({ window: 3, strides: 2, padding: 'SAME' }).apply({}, v).y,
      [x],
    );
    expectGradsOk((v: jt.Array) => nn.globalAvgPool().apply({}, v).y, [x]);
  });
});
