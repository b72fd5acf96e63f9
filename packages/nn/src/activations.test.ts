import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64 } from '../test/helpers';
import * as nn from './index';

const xs = [-3, -0.5, 0, 0.7, 2.5];
const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('activations', () => {
  const x = f64(xs);
  it('match their formulas', () => {
    expectClose(nn.sigmoid(x), xs.map(sig));
    expectClose(nn.tanh(x), xs.map(Math.tanh));
    expectClose(
      nn.relu(x),
      xs.map((v) => Math.max(v, 0)),
    );
    expectClose(
      nn.leakyRelu(x),
      xs.map((v) => (v >= 0 ? v : 0.01 * v)),
    );
    expectClose(
      nn.leakyRelu(x, { negativeSlope: 0.2 }),
      xs.map((v) => (v >= 0 ? v : 0.2 * v)),
    );
    expectClose(
      nn.elu(x, { alpha: 2 }),
      xs.map((v) => (v > 0 ? v : 2 * Math.expm1(v))),
    );
    expectClose(
      nn.selu(x),
      xs.map((v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v))),
    );
    const tanhGelu = (v: number) =>
      0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    expectClose(nn.gelu(x), xs.map(tanhGelu));
    expectClose(
      nn.silu(x),
      xs.map((v) => v * sig(v)),
    );
    expectClose(
      nn.softplus(x),
      xs.map((v) => Math.log1p(Math.exp(v))),
    );
    const z = xs.map(Math.exp).reduce((a, b) => a + b);
    expectClose(
      nn.softmax(x),
      xs.map((v) => Math.exp(v) / z),
    );
    expectClose(
      nn.logSoftmax(x),
      xs.map((v) => v - Math.log(z)),
    );
  });
  it('gelu exact uses erf: Φ(1) ≈ 0.841345', () => {
    expectClose(
      nn.gelu(f64([1, -1]), { approximate: false }),
      [0.8413447460685429, -0.15865525393145707],
      1e-6,
    );
  });
  it('are layers without parameters', () => {
    const { params, state, outputShape } = nn.relu.init(jt.random.key(0), [2, 5]);
    expect(params).toEqual({});
    expect(state).toEqual({});
    expect(outputShape).toEqual([2, 5]);
    expectClose(
      nn.relu.apply(params, x).y,
      xs.map((v) => Math.max(v, 0)),
    );
    expect(nn.relu.name).toBe('relu');
  });
  it('have correct gradients', () => {
    for (const f of [
      nn.sigmoid,
      nn.tanh,
      nn.leakyRelu,
      nn.elu,
      nn.selu,
      nn.gelu,
      nn.silu,
      nn.softplus,
      nn.softmax,
      nn.logSoftmax,
    ]) {
      expectGradsOk((v: jt.Array) => f(v), [f64([-1.3, -0.4, 0.6, 1.9])]);
    }
    expectGradsOk((v: jt.Array) => nn.gelu(v, { approximate: false }), [f64([-1.3, 0.6])]);
  });
  it('elu stays finite for large inputs (no NaN from the unused branch)', () => {
    const big = f64([1000]);
    expect(nn.elu(big).item()).toBe(1000);
  });
});
