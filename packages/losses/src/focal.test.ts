import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { focal } from './focal';
import { sigmoidBinaryCrossEntropy } from './sigmoid-binary-cross-entropy';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

describe('focal', () => {
  it('matches α_t·(1 - p_t)^γ·BCE', () => {
    const ce2 = softplus(2); // x = 2, t = 0
    const p2 = sigmoid(2);
    expectClose(focal(f64([0, 2]), f64([1, 0])), [0.25 * Math.LN2, p2 ** 2 * ce2], [2], 1e-12);
    expectClose(
      focal(f64([0, 2]), f64([1, 0]), { gamma: 2, alpha: 0.25 }),
      [0.25 * 0.25 * Math.LN2, 0.75 * p2 ** 2 * ce2],
      [2],
      1e-12,
    );
    // soft target t = 0.3 at x = -1: 1 - p_t = 0.3·σ(1) + 0.7·σ(-1)
    const ce = softplus(-1) + 0.3;
    const m = 0.3 * sigmoid(1) + 0.7 * sigmoid(-1);
    expectClose(focal(f64([-1]), f64([0.3]), { gamma: 1.5 }), [m ** 1.5 * ce], [1], 1e-12);
  });
  it('is sigmoid binary cross-entropy at γ = 0', () => {
    const x = f64([
      [0.3, -2],
      [4, 0],
    ]);
    const t = f64([
      [1, 0],
      [0, 1],
    ]);
    expectClose(
      focal(x, t, { gamma: 0 }),
      Array.from(sigmoidBinaryCrossEntropy(x, t).data()),
      [2],
      1e-12,
    );
  });
  it('is finite at logits ±1e4 for γ below and above 1', () => {
    const x = f32([1e4, -1e4, 1e4, -1e4, 0]);
    const t = f32([0, 1, 1, 0, 1]);
    expectClose(focal(x, t, { gamma: 2 }), [1e4, 1e4, 0, 0, 0.25 * Math.LN2], [5]);
    for (const gamma of [0, 0.5, 2])
      expectFiniteWithGrad((y) => focal(y, t, { gamma, alpha: 0.25 }), x);
  });
  it('has correct gradients', () => {
    const x = f64([
      [0.3, -2],
      [4, 0.1],
    ]);
    const t = f64([
      [1, 0],
      [0.2, 1],
    ]);
    expectGradsOk((y) => focal(y, t), [x]);
    expectGradsOk((y) => focal(y, t, { gamma: 0.5, alpha: 0.75 }), [x]);
  });
  it('rejects bad options and targets', () => {
    expect(() => focal(f32([0]), f32([1]), { gamma: -1 })).toThrow(jt.ValueError);
    expect(() => focal(f32([0]), f32([1]), { alpha: 2 })).toThrow(jt.ValueError);
    expect(() => focal(f32([0]), f32([3]))).toThrow(/focal: targets must lie in \[0, 1\]/);
  });
  it('has correct second derivatives', () => {
    expectGradsOk(
      (x) => focal(x, f64([1, 0, 0.3]), { gamma: 2, alpha: 0.25 }),
      [f64([0.3, -2, 0.1])],
      2,
    );
  });
});
