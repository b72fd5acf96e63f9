import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64, num, toF64 } from '../test/helpers';
import * as nn from './index';

const sig = (v: number) => 1 / (1 + Math.exp(-v));

// One feature in, one hidden unit: the gates are scalars we can follow by hand.
const W = [0.5, -0.3, 0.8, 0.2]; // input kernel per gate
const U = [0.1, 0.4, -0.6, 0.3]; // recurrent kernel per gate
const B = [0.0, 1.0, -0.1, 0.2];
const lstmParams = { inputKernel: f64([W]), recurrentKernel: f64([U]), bias: f64(B) };

function lstmByHand(xs: number[], c0 = 0, h0 = 0) {
  let [c, h] = [c0, h0];
  const hs: number[] = [];
  for (const x of xs) {
    const z = W.map((w, k) => w * x + U[k]! * h + B[k]!);
    const [i, f, g, o] = [sig(z[0]!), sig(z[1]!), Math.tanh(z[2]!), sig(z[3]!)];
    c = f * c + i * g;
    h = o * Math.tanh(c);
    hs.push(h);
  }
  return { c, h, hs };
}

describe('recurrent cells', () => {
  it('lstmCell computes the gates i, f, g, o', () => {
    const cell = nn.lstmCell({ features: 1 });
    const [carry, y] = cell.apply(lstmParams, { c: f64([[0.3]]), h: f64([[-0.2]]) }, f64([[1.5]]));
    const want = lstmByHand([1.5], 0.3, -0.2);
    expectClose(carry.c, [[want.c]]);
    expectClose(carry.h, [[want.h]]);
    expectClose(y, [[want.h]]);
  });
  it('lstmCell initializes fused kernels, orthogonal recurrent blocks and forget bias 1', () => {
    const cell = nn.lstmCell({ features: 4 });
    const p = cell.init(jt.random.key(0), 3);
    expect(p.inputKernel.shape).toEqual([3, 16]);
    expect(p.recurrentKernel.shape).toEqual([4, 16]);
    expectClose(p.bias, [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const block = jt.slice(p.recurrentKernel, [0, 8], [4, 12]);
    expectClose(jt.matmul(block, jt.transpose(block)), jt.eye(4), 1e-5);
    expectClose(
      nn.lstmCell({ features: 2, unitForgetBias: false }).init(jt.random.key(0), 1).bias,
      jt.zeros([8]),
    );
  });
  it('gruCell computes reset, update and candidate', () => {
    const w = [0.5, -0.3, 0.8];
    const u = [0.1, 0.4, -0.6];
    const b = [0.1, 0.2, -0.1];
    const bh = [0.05, -0.1, 0.3];
    const p = {
      inputKernel: f64([w]),
      recurrentKernel: f64([u]),
      bias: f64(b),
      recurrentBias: f64(bh),
    };
    const [x, h] = [1.2, -0.4];
    const r = sig(w[0]! * x + b[0]! + u[0]! * h + bh[0]!);
    const z = sig(w[1]! * x + b[1]! + u[1]! * h + bh[1]!);
    const n = Math.tanh(w[2]! * x + b[2]! + r * (u[2]! * h + bh[2]!));
    const [next, y] = nn.gruCell({ features: 1 }).apply(p, f64([[h]]), f64([[x]]));
    expectClose(next, [[(1 - z) * n + z * h]]);
    expectClose(y, [[(1 - z) * n + z * h]]);
  });
  it('simpleRnnCell is tanh(x W + h U + b)', () => {
    const p = { inputKernel: f64([[2]]), recurrentKernel: f64([[0.5]]), bias: f64([0.1]) };
    const [h] = nn.simpleRnnCell({ features: 1 }).apply(p, f64([[0.4]]), f64([[0.3]]));
    expectClose(h, [[Math.tanh(0.6 + 0.2 + 0.1)]]);
  });
});

describe('sequence layers', () => {
  const xs = [0.5, -1, 2, 0.25];
  const x = jt.reshape(f64(xs), [1, 4, 1]);
  it('lstm scans the cell over time and returns outputs and the final carry', () => {
    const layer = nn.lstm({ features: 1, returnSequences: true });
    const { y, carry } = layer.apply(lstmParams, x);
    const want = lstmByHand(xs);
    expectClose(y, [want.hs.map((v) => [v])]);
    expectClose(carry.c, [[want.c]]);
    expectClose(carry.h, [[want.h]]);
    const last = nn.lstm({ features: 1 }).apply(lstmParams, x).y;
    expectClose(last, [[want.h]]);
  });
  it('continues from an initial carry and runs in reverse', () => {
    const layer = nn.lstm({ features: 1 });
    const first = layer.apply(lstmParams, jt.slice(x, [0, 0, 0], [1, 2, 1]));
    const second = layer.apply(lstmParams, jt.slice(x, [0, 2, 0], [1, 4, 1]), {
      initialCarry: first.carry,
    });
    expectClose(second.y, [[lstmByHand(xs).h]]);
    const rev = nn
      .lstm({ features: 1, returnSequences: true, reverse: true })
      .apply(lstmParams, x).y;
    const want = lstmByHand([...xs].reverse()).hs.reverse();
    expectClose(rev, [want.map((v) => [v])]);
  });
  it('infers shapes and checks inputs', () => {
    const layer = nn.gru({ features: 8, returnSequences: true });
    const { params, outputShape } = layer.init(jt.random.key(0), [2, 5, 3]);
    expect(outputShape).toEqual([2, 5, 8]);
    expect(layer.apply(params, jt.ones([2, 5, 3])).y.shape).toEqual([2, 5, 8]);
    expect(nn.simpleRnn({ features: 8 }).init(jt.random.key(0), [2, 5, 3]).outputShape).toEqual([
      2, 8,
    ]);
    expect(() => layer.init(jt.random.key(0), [5, 3])).toThrow(
      /gru: expected an input of rank 3 \[batch, time, features\], got \[5,3\]/,
    );
    expect(() => layer.apply(params, jt.ones([2, 5, 4]))).toThrow(
      /gru_cell: expected 3 input features/,
    );
  });
  it('bidirectional concatenates a forward and a backward pass', () => {
    const bi = nn.bidirectional(nn.lstm({ features: 1, returnSequences: true }));
    const { params, outputShape } = bi.init(jt.random.key(0), [1, 4, 1]);
    expect(outputShape).toEqual([1, 4, 2]);
    expect(Object.keys(params)).toEqual(['forward', 'backward']);
    const { y, carry } = bi.apply({ forward: lstmParams, backward: lstmParams }, x);
    const fwd = lstmByHand(xs).hs;
    const bwd = lstmByHand([...xs].reverse()).hs.reverse();
    expectClose(y, [fwd.map((v, t) => [v, bwd[t]!])]);
    expectClose(carry.backward.h, [[bwd[0]!]]);
    const last = nn.bidirectional(nn.gru({ features: 3 })).init(jt.random.key(0), [2, 4, 1]);
    expect(last.outputShape).toEqual([2, 6]);
  });
  it('have correct gradients through the scan', () => {
    const v = jt.random.normal(jt.random.key(1), [2, 3, 2], { dtype: 'float64' });
    for (const layer of [
      nn.lstm({ features: 2, returnSequences: true }),
      nn.gru({ features: 2 }),
      nn.simpleRnn({ features: 2 }),
    ]) {
      const { params } = layer.init(jt.random.key(0), v.shape);
      expectGradsOk((p: unknown, t: jt.Array) => layer.apply(p as never, t).y, [toF64(params), v]);
    }
    expect(num(jt.sum(v))).toBeTypeOf('number');
  });
});
