import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64, toF64 } from '../test/helpers';
import * as nn from './index';

describe('scaledDotProductAttention', () => {
  const q = f64([
    [1, 0],
    [0, 1],
  ]);
  const k = f64([
    [1, 0],
    [0, 2],
    [1, 1],
  ]);
  const v = f64([
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  const byHand = (mask?: boolean[][]) =>
    [0, 1].map((i) => {
      const logits = [0, 1, 2].map(
        (j) =>
          (q.toArray() as number[][])[i]!.reduce(
            (s, qv, d) => s + qv * (k.toArray() as number[][])[j]![d]!,
            0,
          ) / Math.SQRT2,
      );
      const w = logits.map((l, j) => (mask && !mask[i]![j] ? 0 : Math.exp(l)));
      const z = w.reduce((a, b) => a + b);
      return [0, 1].map((d) =>
        w.reduce((s, wj, j) => s + (wj / z) * (v.toArray() as number[][])[j]![d]!, 0),
      );
    });
  it('is softmax(q kᵀ / sqrt(d)) v', () => {
    expectClose(nn.scaledDotProductAttention(q, k, v), byHand());
  });
  it('masks keys where the mask is false', () => {
    const m = [
      [true, false, true],
      [false, true, false],
    ];
    expectClose(
      nn.scaledDotProductAttention(q, k, v, { mask: jt.array(m, { dtype: 'bool' }) }),
      byHand(m),
    );
    expectClose(nn.causalMask(3).astype('int32'), [
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
  });
  it('checks depths', () => {
    expect(() => nn.scaledDotProductAttention(q, jt.ones([3, 3]), v)).toThrow(jt.ShapeError);
  });
});

describe('multiHeadAttention', () => {
  const mha = nn.multiHeadAttention({ numHeads: 2, keyDim: 3 });
  const x = jt.random.normal(jt.random.key(1), [2, 4, 6], { dtype: 'float64' });
  it('projects to heads and back', () => {
    const { params, outputShape } = mha.init(jt.random.key(0), [2, 4, 6]);
    expect(outputShape).toEqual([2, 4, 6]);
    expect(params.query.kernel.shape).toEqual([6, 6]);
    expect(params.out.kernel.shape).toEqual([6, 6]);
    const p = toF64(params);
    const { y } = mha.apply(p, x);
    // By hand: per head h, attention over the slices of the projections.
    const proj = (pp: { kernel: jt.Array; bias?: jt.Array }, t: jt.Array) =>
      jt.add(jt.matmul(t, pp.kernel), pp.bias!);
    const [Q, K, V] = [proj(p.query, x), proj(p.key, x), proj(p.value, x)];
    const heads = [0, 1].map((h) => {
      const s = (t: jt.Array) => jt.slice(t, [0, 0, 3 * h], [2, 4, 3 * h + 3]);
      return nn.scaledDotProductAttention(s(Q), s(K), s(V));
    });
    expectClose(y, proj(p.out, jt.concatenate(heads, -1)), 1e-10);
  });
  it('applies causal masks: the first output only sees the first input', () => {
    const { params } = mha.init(jt.random.key(0), [2, 4, 6]);
    const p = toF64(params);
    const full = mha.apply(p, x, { mask: nn.causalMask(4) }).y;
    const first = mha.apply(p, jt.slice(x, [0, 0, 0], [2, 1, 6])).y;
    expectClose(jt.slice(full, [0, 0, 0], [2, 1, 6]), first, 1e-10);
    const perBatch = jt.broadcastTo(nn.causalMask(4), [2, 4, 4]);
    expectClose(mha.apply(p, x, { mask: perBatch }).y, full, 1e-10);
  });
  it('attends to a context (cross-attention) and checks shapes', () => {
    const cross = nn.multiHeadAttention({
      numHeads: 2,
      keyDim: 4,
      contextFeatures: 5,
      outFeatures: 7,
    });
    const { params } = cross.init(jt.random.key(0), [2, 4, 6]);
    expect(
      cross.apply(params, jt.ones([2, 4, 6]), { context: jt.ones([2, 9, 5]) }).y.shape,
    ).toEqual([2, 4, 7]);
    expect(() => cross.apply(params, jt.ones([2, 4, 6]))).toThrow(/context features/);
    expect(() => mha.init(jt.random.key(0), [4, 6])).toThrow(
      /multi_head_attention: expected an input of rank 3/,
    );
  });
  it('has correct gradients', () => {
    const small = nn.multiHeadAttention({ numHeads: 2, keyDim: 2 });
    const { params } = small.init(jt.random.key(0), [1, 3, 4]);
    const v = jt.random.normal(jt.random.key(1), [1, 3, 4], { dtype: 'float64' });
    expectGradsOk(
      (p: nn.MultiHeadAttentionParams, t: jt.Array) =>
        small.apply(p, t, { mask: nn.causalMask(3) }).y,
      [toF64(params), v],
    );
  });
});
