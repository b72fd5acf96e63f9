import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64, toF64 } from '../test/helpers';
import * as nn from './index';

// 1×3×3×1 image 1..9 and a 2×2 kernel [[1, 0], [0, -1]] (y[i,j] = x[i,j] - x[i+1,j+1]).
const img = jt.reshape(jt.arange(1, 10, 1, { dtype: 'float64' }), [1, 3, 3, 1]);
const kernel = jt.reshape(f64([1, 0, 0, -1]), [2, 2, 1, 1]);

describe('conv2d', () => {
  it('initializes an HWIO kernel and infers the output shape', () => {
    const c = nn.conv2d({ features: 8, kernelSize: [3, 3] });
    const r = c.init(jt.random.key(0), [2, 28, 28, 3]);
    expect(r.params.kernel.shape).toEqual([3, 3, 3, 8]);
    expect(r.params.bias!.shape).toEqual([8]);
    expect(r.outputShape).toEqual([2, 28, 28, 8]);
    expect(
      nn
        .conv2d({ features: 4, kernelSize: 3, padding: 'VALID', strides: 2 })
        .init(jt.random.key(0), [1, 9, 9, 1]).outputShape,
    ).toEqual([1, 4, 4, 4]);
    expect(
      nn
        .conv2d({ features: 4, kernelSize: 3, dilation: 2, padding: 'VALID' })
        .init(jt.random.key(0), [1, 9, 9, 1]).outputShape,
    ).toEqual([1, 5, 5, 4]);
  });
  it('computes VALID and SAME convolutions by hand', () => {
    const valid = nn.conv2d({ features: 1, kernelSize: 2, padding: 'VALID' });
    const bias = f64([10]);
    expectClose(valid.apply({ kernel, bias }, img).y, [
      [
        [[1 - 5 + 10], [2 - 6 + 10]],
        [[4 - 8 + 10], [5 - 9 + 10]],
      ],
    ]);
    // SAME with a 2×2 window pads one row/column at the end: the last row/column see zeros.
    const same = nn.conv2d({ features: 1, kernelSize: 2, useBias: false });
    expectClose(jt.reshape(same.apply({ kernel }, img).y, [3, 3]), [
      [-4, -4, 3],
      [-4, -4, 6],
      [7, 8, 9],
    ]);
  });
  it('supports strides and groups', () => {
    const strided = nn.conv2d({
      features: 1,
      kernelSize: 2,
      strides: 2,
      padding: 'VALID',
      useBias: false,
    });
    expectClose(jt.reshape(strided.apply({ kernel }, img).y, [1]), [-4]);
    // Depthwise: two channels, each with its own 1×1 kernel.
    const dw = nn.conv2d({ features: 2, kernelSize: 1, groups: 2, useBias: false });
    const { params } = dw.init(jt.random.key(0), [1, 2, 2, 2]);
    expect(params.kernel.shape).toEqual([1, 1, 1, 2]);
    const x = jt.stack([jt.ones([1, 2, 2]), jt.full([1, 2, 2], 2)], -1);
    const y = dw.apply({ kernel: jt.reshape(jt.array([3, 5]), [1, 1, 1, 2]) }, x).y;
    expectClose(y, jt.stack([jt.full([1, 2, 2], 3), jt.full([1, 2, 2], 10)], -1));
  });
  it('names the layer and the shapes on bad input', () => {
    const c = nn.conv2d({ features: 4, kernelSize: 3 });
    expect(() => c.init(jt.random.key(0), [28, 28, 1])).toThrow(
      /conv2d: expected an input of rank 4 \[batch, height, width, channels\], got \[28,28,1\]/,
    );
    const { params } = c.init(jt.random.key(0), [1, 8, 8, 3]);
    expect(() => c.apply(params, jt.ones([1, 8, 8, 1]))).toThrow(
      /conv2d: expected 3 input channels \(last axis\), got input \[1,8,8,1\]/,
    );
    expect(() =>
      nn
        .conv2d({ features: 4, kernelSize: 5, padding: 'VALID' })
        .init(jt.random.key(0), [1, 3, 3, 1]),
    ).toThrow(jt.ShapeError);
  });
  it('has correct gradients', () => {
    const c = nn.conv2d({ features: 2, kernelSize: 2, strides: [1, 2] });
    const { params } = c.init(jt.random.key(0), [1, 3, 4, 2]);
    expectGradsOk(
      (p: nn.ConvParams, x: jt.Array) => c.apply(p, x).y,
      [toF64(params), jt.random.normal(jt.random.key(1), [1, 3, 4, 2], { dtype: 'float64' })],
    );
  });
});

describe('conv1d and convTranspose2d', () => {
  it('conv1d slides over [batch, width, channels]', () => {
    const c = nn.conv1d({ features: 1, kernelSize: 2, padding: 'VALID', useBias: false });
    const { outputShape } = c.init(jt.random.key(0), [1, 4, 1]);
    expect(outputShape).toEqual([1, 3, 1]);
    const x = jt.reshape(f64([1, 2, 4, 8]), [1, 4, 1]);
    expectClose(c.apply({ kernel: jt.reshape(f64([1, -1]), [2, 1, 1]) }, x).y, [
      [[-1], [-2], [-4]],
    ]);
  });
  it('convTranspose2d upsamples and scatters each input through the kernel', () => {
    const t = nn.convTranspose2d({ features: 3, kernelSize: 3, strides: 2 });
    const r = t.init(jt.random.key(0), [2, 4, 4, 5]);
    expect(r.params.kernel.shape).toEqual([3, 3, 5, 3]);
    expect(r.outputShape).toEqual([2, 8, 8, 3]);
    // One pixel through a 2×2 kernel with stride 2, VALID: the output is the kernel itself.
    const one = nn.convTranspose2d({
      features: 1,
      kernelSize: 2,
      strides: 2,
      padding: 'VALID',
      useBias: false,
    });
    const k = jt.reshape(f64([1, 2, 3, 4]), [2, 2, 1, 1]);
    const y = one.apply({ kernel: k }, jt.full([1, 1, 1, 1], 2, { dtype: 'float64' })).y;
    expect(y.shape).toEqual([1, 2, 2, 1]);
    // lax.conv_transpose does not flip the kernel: the result is the kernel correlated, i.e. flipped.
    expectClose(jt.reshape(y, [4]), [8, 6, 4, 2]);
    expect(r.outputShape).toEqual(t.apply(r.params, jt.ones([2, 4, 4, 5])).y.shape);
  });
});
