import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64, toF64 } from '../test/helpers';
import * as nn from './index';

describe('dense', () => {
  const layer = nn.dense({ features: 2 });
  it('initializes kernel [in, out] and zero bias', () => {
    const { params, outputShape } = layer.init(jt.random.key(0), [5, 3]);
    expect(params.kernel.shape).toEqual([3, 2]);
    expectClose(params.bias!, [0, 0]);
    expect(outputShape).toEqual([5, 2]);
    expect(
      nn.dense({ features: 2, useBias: false }).init(jt.random.key(0), [1, 3]).params.bias,
    ).toBeUndefined();
  });
  it('computes x @ kernel + bias over leading axes', () => {
    const params = {
      kernel: f64([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      bias: f64([0.5, -1]),
    };
    const { y } = layer.apply(
      params,
      f64([
        [1, 0, -1],
        [2, 1, 0],
      ]),
    );
    expectClose(y, [
      [1 - 5 + 0.5, 2 - 6 - 1],
      [2 + 3 + 0.5, 4 + 4 - 1],
    ]);
    expect(layer.apply(params, jt.ones([4, 7, 3])).y.shape).toEqual([4, 7, 2]);
  });
  it('rejects a wrong feature count', () => {
    const { params } = layer.init(jt.random.key(0), [5, 3]);
    expect(() => layer.apply(params, jt.ones([5, 4]))).toThrow(
      /dense: expected 3 input features \(last axis\), got input \[5,4\]/,
    );
    expect(() => layer.init(jt.random.key(0), [])).toThrow(jt.ShapeError);
  });
  it('has correct gradients', () => {
    const { params } = layer.init(jt.random.key(0), [2, 3]);
    expectGradsOk(
      (p: nn.DenseParams, x: jt.Array) => layer.apply(p, x).y,
      [
        toF64(params),
        f64([
          [0.1, 0.2, 0.3],
          [-1, 0, 1],
        ]),
      ],
    );
  });
});

describe('dense on plain JS arrays', () => {
  it('applies to nested lists as to arrays', () => {
    const layer = nn.dense({ features: 2 });
    const { params } = layer.init(jt.random.key(0), [1, 3]);
    const list = [[1, 2, 3]];
    const want = layer.apply(params, jt.array(list)).y;
    const got = layer.apply(params, list as never).y;
    expect(got.toArray()).toEqual(want.toArray());
  });
});
