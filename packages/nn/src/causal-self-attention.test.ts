import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, toF64 } from '../test/helpers';
import * as nn from './index';

type M = number[][];
const matmul = (a: M, b: M): M =>
  a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const cols = (a: M, from: number, to: number): M => a.map((r) => r.slice(from, to));

/** Causal multi-head attention of one sequence `x: [time, features]`, in plain numbers. */
function byHand(p: nn.CausalSelfAttentionParams, x: M, heads: number): M {
  const w = p.qkv.kernel.toArray() as M;
  const bias = p.qkv.bias!.toArray() as number[];
  const qkv = matmul(x, w).map((r) => r.map((v, j) => v + bias[j]!));
  const hd = w[0]!.length / 3;
  const d = hd / heads;
  const merged: M = x.map(() => []);
  for (let h = 0; h < heads; h++) {
    const q = cols(qkv, h * d, h * d + d);
    const k = cols(qkv, hd + h * d, hd + h * d + d);
    const v = cols(qkv, 2 * hd + h * d, 2 * hd + h * d + d);
    q.forEach((qi, i) => {
      const logits = k
        .slice(0, i + 1)
        .map((kj) => kj.reduce((s, kv, c) => s + kv * qi[c]!, 0) / Math.sqrt(d));
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const z = e.reduce((a, b) => a + b);
      for (let c = 0; c < d; c++)
        merged[i]!.push(e.reduce((s, ej, j) => s + (ej / z) * v[j]![c]!, 0));
    });
  }
  const out = matmul(merged, p.out.kernel.toArray() as M);
  const ob = p.out.bias!.toArray() as number[];
  return out.map((r) => r.map((v, j) => v + ob[j]!));
}

describe('causalSelfAttention', () => {
  const attn = nn.causalSelfAttention({ numHeads: 2 });
  const init = (layer: nn.CausalSelfAttention, shape: number[], seed = 0) => {
    const { params } = layer.init(jt.random.key(seed), shape);
    // Non-zero biases, so a wrong bias path cannot hide.
    return toF64(
      jt.tree.map((a: jt.Array) => jt.add(a, 0.1), params),
    ) as nn.CausalSelfAttentionParams;
  };
  const x = jt.random.normal(jt.random.key(1), [2, 5, 4], { dtype: 'float64' });

  it('is causal multi-head attention (checked against plain arithmetic)', () => {
    const params = init(attn, [2, 5, 4]);
    expect(params.qkv.kernel.shape).toEqual([4, 12]);
    expect(params.out.kernel.shape).toEqual([4, 4]);
    const { y } = attn.apply(params, x);
    const rows = x.toArray() as number[][][];
    expectClose(
      y,
      jt.array([byHand(params, rows[0]!, 2), byHand(params, rows[1]!, 2)], { dtype: 'float64' }),
      1e-10,
    );
  });

  it('gives attention weights that are causal distributions', () => {
    const params = init(attn, [2, 5, 4]);
    const w = attn.weights(params, x);
    expect(w.shape).toEqual([2, 2, 5, 5]);
    expectClose(jt.sum(w, { axis: -1 }), jt.ones([2, 2, 5], { dtype: 'float64' }), 1e-12);
    const upper = jt.where(jt.logicalNot(nn.causalMask(5)), w, 0);
    expect(Number(jt.max(jt.abs(upper)).item())).toBe(0);
    // The first query can only attend to itself.
    expectClose(
      jt.slice(w, [0, 0, 0, 0], [2, 2, 1, 1]),
      jt.ones([2, 2, 1, 1], { dtype: 'float64' }),
    );
  });

  for (const rope of [false, true]) {
    it(`decodes with a key/value cache exactly as over the whole prefix${rope ? ' (RoPE)' : ''}`, () => {
      const layer = nn.causalSelfAttention({ numHeads: 2, rope });
      const params = init(layer, [2, 5, 4]);
      const full = layer.apply(params, x).y;
      // A prompt of 2 positions, then one position at a time.
      let cache = layer.initCache(params, 2, 8);
      const outs: jt.Array[] = [];
      for (const [from, to] of [
        [0, 2],
        [2, 3],
        [3, 4],
        [4, 5],
      ] as const) {
        const r = layer.apply(params, jt.slice(x, [0, from, 0], [2, to, 4]), { state: cache });
        cache = r.state as nn.KVCache;
        outs.push(r.y);
      }
      expect(Number(cache.length.item())).toBe(5);
      expectClose(jt.concatenate(outs, 1), full, 1e-10);
    });
  }

  it('refuses a cache that is full or of the wrong shape', () => {
    const params = init(attn, [2, 5, 4]);
    const cache = attn.initCache(params, 2, 4);
    expect(() => attn.apply(params, x, { state: cache })).toThrow(
      /holds 4 positions; 0 are used and 5 more/,
    );
    expect(() => attn.apply(params, jt.slice(x, [0, 0, 0], [1, 2, 4]), { state: cache })).toThrow(
      /does not fit 1 sequences/,
    );
  });

  it('drops attention weights in training only, reproducibly', () => {
    const layer = nn.causalSelfAttention({ numHeads: 2, dropoutRate: 0.5 });
    const params = init(layer, [2, 5, 4]);
    const evalY = layer.apply(params, x).y;
    expectClose(layer.apply(params, x, { training: false, key: jt.random.key(3) }).y, evalY);
    const a = layer.apply(params, x, { training: true, key: jt.random.key(3) }).y;
    const b = layer.apply(params, x, { training: true, key: jt.random.key(3) }).y;
    expectClose(a, b);
    expect(Number(jt.max(jt.abs(jt.sub(a, evalY))).item())).toBeGreaterThan(1e-3);
    expect(() => layer.apply(params, x, { training: true })).toThrow(/needs a PRNG key/);
  });

  it('checks shapes and options', () => {
    expect(() => nn.causalSelfAttention({ numHeads: 0 })).toThrow(jt.ValueError);
    expect(() => nn.causalSelfAttention({ numHeads: 3 }).init(jt.random.key(0), [1, 2, 4])).toThrow(
      /do not split into 3 heads/,
    );
    expect(() =>
      nn.causalSelfAttention({ numHeads: 2, rope: true }).init(jt.random.key(0), [1, 2, 6]),
    ).toThrow(/headDim 3 must be even/);
    const wide = nn.causalSelfAttention({ numHeads: 3, headDim: 2 });
    expect(wide.init(jt.random.key(0), [1, 2, 4]).params.qkv.kernel.shape).toEqual([4, 18]);
    expect(() => attn.init(jt.random.key(0), [2, 4])).toThrow(/expected an input of rank 3/);
  });

  it('has correct gradients, with and without RoPE', () => {
    for (const rope of [false, true]) {
      const layer = nn.causalSelfAttention({ numHeads: 2, rope });
      const params = init(layer, [1, 3, 4]);
      const v = jt.random.normal(jt.random.key(4), [1, 3, 4], { dtype: 'float64' });
      expectGradsOk(
        (p: nn.CausalSelfAttentionParams, t: jt.Array) => layer.apply(p, t).y,
        [params, v],
      );
    }
  });
});
