import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { klDivergence } from './kl-divergence';

describe('klDivergence', () => {
  it('matches hand-computed values, with 0·log 0 = 0', () => {
    const out = klDivergence(
      jt.log(
        f64([
          [0.5, 0.5],
          [0.5, 0.5],
        ]),
      ),
      f64([
        [0.9, 0.1],
        [1, 0],
      ]),
    );
    expectClose(out, [0.9 * Math.log(1.8) + 0.1 * Math.log(0.2), Math.LN2], [2], 1e-12);
  });
  it('accepts logits as well as log-probabilities', () => {
    expectClose(
      klDivergence(f64([[3, 3]]), f64([[0.9, 0.1]])),
      [0.9 * Math.log(1.8) + 0.1 * Math.log(0.2)],
      [1],
      1e-12,
    );
  });
  it('is 0 when the distributions agree', () => {
    const logits = f64([[0.3, -1, 2]]);
    expectClose(klDivergence(logits, jt.softmax(logits)), [0], [1], 1e-12);
  });
  it('is finite at logits ±1e4', () => {
    const x = f32([
      [1e4, -1e4],
      [-1e4, 1e4],
    ]);
    const t = f32([
      [0, 1],
      [0.5, 0.5],
    ]);
    expectClose(klDivergence(x, t), [2e4, 1e4 - Math.LN2], [2]);
    expectFiniteWithGrad((y) => klDivergence(y, t), x);
  });
  it('has correct gradients in logits and targets', () => {
    const logits = f64([
      [0.3, -2, 1],
      [5, -0.7, 0],
    ]);
    expectGradsOk(
      (x) =>
        klDivergence(
          x,
          f64([
            [0.2, 0, 0.8],
            [1, 0, 0],
          ]),
        ),
      [logits],
    );
    expectGradsOk(
      (x, t) => klDivergence(x, t),
      [
        logits,
        f64([
          [0.2, 0.3, 0.5],
          [0.6, 0.1, 0.3],
        ]),
      ],
    );
  });
  it('rejects mismatched shapes and bad targets', () => {
    expect(() => klDivergence(f32([[0, 0]]), f32([[1, 0, 0]]))).toThrow(
      /klDivergence: logits \[1,2\] and targets \[1,3\]/,
    );
    expect(() => klDivergence(f32([[0, 0]]), f32([[1.5, -0.5]]))).toThrow(jt.ValueError);
  });
  it('has correct second derivatives', () => {
    expectGradsOk((x) => klDivergence(x, f64([[0.2, 0, 0.8]])), [f64([[0.3, -2, 1]])], 2);
  });
});
