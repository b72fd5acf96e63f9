import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, toF64 } from '../test/helpers';
import * as nn from './index';

const x = jt.random.normal(jt.random.key(1), [2, 5, 4], { dtype: 'float64' });
const rms = (t: jt.Array, scale: jt.Array) =>
  jt.mul(
    jt.div(t, jt.sqrt(jt.add(jt.mean(jt.square(t), { axis: -1, keepdims: true }), 1e-6))),
    scale,
  );
const affine = (t: jt.Array, p: nn.DenseParams) => jt.add(jt.matmul(t, p.kernel), p.bias!);
const initF64 = (block: nn.TransformerBlock, shape: number[]) => {
  const { params } = block.init(jt.random.key(0), shape);
  // Perturb norm scales and biases away from 1 and 0 so that every term shows.
  return toF64(jt.tree.map((a: jt.Array) => jt.add(a, 0.05), params)) as nn.TransformerBlockParams;
};

describe('transformerBlock', () => {
  it('is x + attention(norm(x)), then + mlp(norm(·)) with GELU', () => {
    const block = nn.transformerBlock({ numHeads: 2 });
    const p = initF64(block, [2, 5, 4]);
    expect(p.mlp.up.kernel.shape).toEqual([4, 16]);
    expect(p.mlp.gate).toBeUndefined();
    const attn = nn.causalSelfAttention({ numHeads: 2 });
    const norm1 = rms(x, p.norm1.scale!);
    const h = jt.add(x, attn.apply(p.attention, norm1).y);
    const u = affine(rms(h, p.norm2.scale!), p.mlp.up);
    const g = jt.mul(
      jt.mul(u, 0.5),
      jt.add(jt.tanh(jt.mul(jt.add(u, jt.mul(jt.pow(u, 3), 0.044715)), Math.sqrt(2 / Math.PI))), 1),
    );
    expectClose(block.apply(p, x).y, jt.add(h, affine(g, p.mlp.down)), 1e-10);
  });

  it('has a SwiGLU MLP (silu(x W) ⊙ x V) of about the same size', () => {
    const block = nn.transformerBlock({ numHeads: 3, mlp: 'swiglu', norm: 'layer', rope: true });
    const p = initF64(block, [2, 5, 6]);
    expect(p.mlp.up.kernel.shape).toEqual([6, 16]);
    expect(p.mlp.gate!.kernel.shape).toEqual([6, 16]);
    const attn = nn.causalSelfAttention({ numHeads: 3, rope: true });
    const ln = nn.layerNorm();
    const x6 = jt.random.normal(jt.random.key(2), [2, 5, 6], { dtype: 'float64' });
    const h = jt.add(x6, attn.apply(p.attention, ln.apply(p.norm1, x6).y).y);
    const n2 = ln.apply(p.norm2, h).y;
    const gate = affine(n2, p.mlp.gate!);
    const hidden = jt.mul(jt.mul(gate, jt.sigmoid(gate)), affine(n2, p.mlp.up));
    expectClose(block.apply(p, x6).y, jt.add(h, affine(hidden, p.mlp.down)), 1e-10);
  });

  it('decodes with a cache exactly as over the whole prefix', () => {
    const block = nn.transformerBlock({ numHeads: 2, mlp: 'swiglu', rope: true });
    const p = initF64(block, [2, 5, 4]);
    const full = block.apply(p, x).y;
    let state = block.initCache(p, 2, 5);
    const outs: jt.Array[] = [];
    for (const [from, to] of [
      [0, 3],
      [3, 4],
      [4, 5],
    ] as const) {
      const r = block.apply(p, jt.slice(x, [0, from, 0], [2, to, 4]), { state });
      state = r.state;
      outs.push(r.y);
    }
    expectClose(jt.concatenate(outs, 1), full, 1e-10);
  });

  it('applies dropout in training only, from its key', () => {
    const block = nn.transformerBlock({ numHeads: 2, dropoutRate: 0.3, attentionDropoutRate: 0.3 });
    const p = initF64(block, [2, 5, 4]);
    const evalY = block.apply(p, x).y;
    const a = block.apply(p, x, { training: true, key: jt.random.key(7) }).y;
    expectClose(block.apply(p, x, { training: true, key: jt.random.key(7) }).y, a);
    expect(Number(jt.max(jt.abs(jt.sub(a, evalY))).item())).toBeGreaterThan(1e-3);
    expect(() => block.apply(p, x, { training: true })).toThrow(/PRNG key/);
  });

  it('checks its input and options', () => {
    expect(() => nn.transformerBlock({ numHeads: 2, mlp: 'relu' as 'gelu' })).toThrow(
      jt.ValueError,
    );
    expect(() => nn.transformerBlock({ numHeads: 2 }).init(jt.random.key(0), [5, 4])).toThrow(
      /transformer_block: expected an input of rank 3/,
    );
    expect(() => nn.transformerBlock({ numHeads: 3 }).init(jt.random.key(0), [1, 5, 4])).toThrow(
      /layer 'attention': causal_self_attention: 4 input features do not split into 3 heads/,
    );
  });

  it('has correct gradients (GELU and SwiGLU)', () => {
    for (const mlp of ['gelu', 'swiglu'] as const) {
      const block = nn.transformerBlock({
        numHeads: 2,
        mlp,
        mlpFeatures: 6,
        rope: mlp === 'swiglu',
      });
      const p = initF64(block, [1, 3, 4]);
      const v = jt.slice(x, [0, 0, 0], [1, 3, 4]);
      expectGradsOk((q: nn.TransformerBlockParams, t: jt.Array) => block.apply(q, t).y, [p, v]);
    }
  });
});
