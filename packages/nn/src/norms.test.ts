import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64, toF64 } from '../test/helpers';
import * as nn from './index';

// Two features over a batch of 4: feature 0 is 1,2,3,4 (mean 2.5, var 1.25), feature 1 is 0,0,2,2 (mean 1, var 1).
const x = f64([
  [1, 0],
  [2, 0],
  [3, 2],
  [4, 2],
]);
const eps = 1e-5;

describe('batchNorm', () => {
  const bn = nn.batchNorm({ momentum: 0.9, eps });
  it('starts with mean 0, var 1 statistics and unit scale', () => {
    const { params, state } = bn.init(jt.random.key(0), [4, 2]);
    expectClose(params.scale!, [1, 1]);
    expectClose(params.bias!, [0, 0]);
    expectClose(state.mean, [0, 0]);
    expectClose(state.var, [1, 1]);
  });
  it('normalizes with batch statistics in training and returns updated running statistics', () => {
    const { params, state } = bn.init(jt.random.key(0), [4, 2]);
    const p = { scale: f64([2, 1]), bias: f64([0, 0.5]) };
    const { y, state: next } = bn.apply(p, x, { state, training: true });
    const s0 = 1 / Math.sqrt(1.25 + eps);
    const s1 = 1 / Math.sqrt(1 + eps);
    expectClose(y, [
      [-1.5 * s0 * 2, -s1 + 0.5],
      [-0.5 * s0 * 2, -s1 + 0.5],
      [0.5 * s0 * 2, s1 + 0.5],
      [1.5 * s0 * 2, s1 + 0.5],
    ]);
    expectClose(next.mean, [0.9 * 0 + 0.1 * 2.5, 0.1 * 1]);
    expectClose(next.var, [0.9 + 0.1 * 1.25, 0.9 + 0.1 * 1]);
    // The old state is untouched.
    expectClose(state.mean, [0, 0]);
    expect(params.scale).toBeDefined();
  });
  it('uses the running statistics in inference and keeps the state', () => {
    const state = { mean: f64([1, 2]), var: f64([4, 0.25]) };
    const { y, state: same } = bn.apply({}, x, { state });
    expect(same).toBe(state);
    expectClose(
      y,
      [
        [0, -4],
        [0.5, -4],
        [1, 0],
        [1.5, 0],
      ],
      1e-4,
    );
  });
  it('normalizes over every axis but the last', () => {
    const img = jt.random.normal(jt.random.key(1), [4, 3, 3, 2], { dtype: 'float64' });
    const { params, state } = bn.init(jt.random.key(0), img.shape);
    const { y } = bn.apply(params, img, { state, training: true });
    expectClose(jt.mean(y, { axis: [0, 1, 2] }), [0, 0], 1e-6);
    expectClose(jt.var(y, { axis: [0, 1, 2] }), [1, 1], 1e-4);
  });
  it('needs its state', () => {
    const { params } = bn.init(jt.random.key(0), [4, 2]);
    expect(() => bn.apply(params, x)).toThrow(/batch_norm: apply needs the running statistics/);
    const { state } = bn.init(jt.random.key(0), [4, 3]);
    expect(() => bn.apply(params, x, { state })).toThrow(/batch_norm: expected 3 input features/);
  });
  it('has correct gradients in training mode', () => {
    const { params, state } = bn.init(jt.random.key(0), [4, 2]);
    expectGradsOk(
      (p: nn.NormParams, v: jt.Array) => bn.apply(p, v, { state: toF64(state), training: true }).y,
      [toF64(params), x],
    );
  });
});

describe('layerNorm, groupNorm, instanceNorm', () => {
  it('layerNorm normalizes each example over its features', () => {
    const ln = nn.layerNorm({ eps: 0 });
    const { params, outputShape } = ln.init(jt.random.key(0), [2, 4]);
    expect(outputShape).toEqual([2, 4]);
    const v = f64([
      [1, 2, 3, 4],
      [2, 2, 2, 6],
    ]);
    const a = 1 / Math.sqrt(1.25);
    const b = 1 / Math.sqrt(3);
    expectClose(
      ln.apply(params, v).y,
      [
        [-1.5 * a, -0.5 * a, 0.5 * a, 1.5 * a],
        [-b, -b, -b, 3 * b],
      ],
      1e-6,
    );
    expectClose(
      ln.apply({ scale: f64([1, 1, 1, 2]), bias: f64([0, 0, 1, 0]) }, v).y,
      [
        [-1.5 * a, -0.5 * a, 0.5 * a + 1, 3 * a],
        [-b, -b, -b + 1, 6 * b],
      ],
      1e-6,
    );
    expect(() => ln.apply(params, jt.ones([2, 3]))).toThrow(
      /layer_norm: expected 4 input features/,
    );
  });
  it('groupNorm normalizes each group of channels over space', () => {
    const gn = nn.groupNorm({ groups: 2, eps: 0 });
    // [1, 2 positions, 4 channels]: group 0 = channels 0,1, group 1 = channels 2,3.
    const v = f64([
      [
        [1, 3, 0, 0],
        [5, 7, 2, 6],
      ],
    ]);
    const { params } = gn.init(jt.random.key(0), [1, 2, 4]);
    const g0 = [1, 3, 5, 7].map((t) => (t - 4) / Math.sqrt(5));
    const g1 = [0, 0, 2, 6].map((t) => (t - 2) / Math.sqrt(6));
    expectClose(
      gn.apply(params, v).y,
      [
        [
          [g0[0]!, g0[1]!, g1[0]!, g1[1]!],
          [g0[2]!, g0[3]!, g1[2]!, g1[3]!],
        ],
      ],
      1e-6,
    );
    expect(() => gn.init(jt.random.key(0), [1, 2, 3])).toThrow(
      /group_norm: 3 channels do not split into 2 groups/,
    );
  });
  it('instanceNorm normalizes each channel over space', () => {
    const inorm = nn.instanceNorm({ eps: 0 });
    const v = jt.random.normal(jt.random.key(2), [2, 3, 3, 4], { dtype: 'float64' });
    const { params } = inorm.init(jt.random.key(0), v.shape);
    const { y } = inorm.apply(params, v);
    expectClose(jt.mean(y, { axis: [1, 2] }), jt.zeros([2, 4]), 1e-6);
    expectClose(jt.var(y, { axis: [1, 2] }), jt.ones([2, 4]), 1e-6);
  });
  it('have correct gradients', () => {
    const v = jt.random.normal(jt.random.key(2), [2, 2, 4], { dtype: 'float64' });
    for (const layer of [nn.layerNorm(), nn.groupNorm({ groups: 2 }), nn.instanceNorm()]) {
      const { params } = layer.init(jt.random.key(0), v.shape);
      expectGradsOk((p: nn.NormParams, t: jt.Array) => layer.apply(p, t).y, [toF64(params), v]);
    }
  });
});

describe('embedding', () => {
  it('looks up rows by int32 id', () => {
    const emb = nn.embedding({ vocabSize: 3, features: 2 });
    const { params, outputShape } = emb.init(jt.random.key(0), [2, 5]);
    expect(params.embedding.shape).toEqual([3, 2]);
    expect(outputShape).toEqual([2, 5, 2]);
    const table = {
      embedding: f64([
        [0, 1],
        [2, 3],
        [4, 5],
      ]),
    };
    const ids = jt.array(
      [
        [2, 0],
        [1, 1],
      ],
      { dtype: 'int32' },
    );
    expectClose(emb.apply(table, ids).y, [
      [
        [4, 5],
        [0, 1],
      ],
      [
        [2, 3],
        [2, 3],
      ],
    ]);
    expect(() => emb.apply(table, f64([1]))).toThrow(jt.DTypeError);
    expectGradsOk((p: nn.EmbeddingParams) => emb.apply(p, ids).y, [table]);
  });
});
