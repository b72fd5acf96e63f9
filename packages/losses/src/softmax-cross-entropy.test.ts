import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

const lse2 = Math.log1p(Math.exp(-2)); // log(1 + e^-2)

describe('softmaxCrossEntropy', () => {
  it('matches hand-computed values for one-hot and soft labels', () => {
    expectClose(
      softmaxCrossEntropy(
        f64([
          [2, 0],
          [1, 3],
        ]),
        f64([
          [1, 0],
          [0.5, 0.5],
        ]),
      ),
      [lse2, 0.5 * (2 + lse2) + 0.5 * lse2],
      [2],
      1e-12,
    );
  });
  it('keeps leading axes: [batch, time, classes] gives [batch, time]', () => {
    const out = softmaxCrossEntropy(jt.zeros([2, 3, 4]), jt.full([2, 3, 4], 0.25));
    expectClose(
      out,
      [
        [1, 1, 1],
        [1, 1, 1],
      ].map((r) => r.map(() => Math.log(4))),
      [2, 3],
    );
  });
  it('ignores classes masked with -Infinity', () => {
    expectClose(
      softmaxCrossEntropy(f32([[0, Number.NEGATIVE_INFINITY, 0]]), f32([[1, 0, 0]])),
      [Math.LN2],
      [1],
    );
    expectFiniteWithGrad(
      (x) => softmaxCrossEntropy(x, f32([[1, 0, 0]])),
      f32([[0, Number.NEGATIVE_INFINITY, 0]]),
    );
  });
  it('is exact and finite at logits ±1e4', () => {
    const x = f32([
      [1e4, -1e4],
      [1e4, -1e4],
    ]);
    const t = f32([
      [0, 1],
      [1, 0],
    ]);
    expectClose(softmaxCrossEntropy(x, t), [2e4, 0], [2]);
    expectFiniteWithGrad((y) => softmaxCrossEntropy(y, t), x);
  });
  it('has correct gradients in the logits and the labels', () => {
    const logits = f64([
      [0.3, -2, 1],
      [5, -0.7, 0],
    ]);
    const labels = f64([
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ]);
    expectGradsOk((x) => softmaxCrossEntropy(x, labels), [logits]);
    expectGradsOk(
      (x, t) => softmaxCrossEntropy(x, t),
      [
        logits,
        f64([
          [0.2, 0.3, 0.5],
          [0.6, 0.1, 0.3],
        ]),
      ],
    );
  });
  it('rejects mismatched shapes and labels outside [0, 1]', () => {
    expect(() => softmaxCrossEntropy(f32([[1, 2]]), f32([[1, 0, 0]]))).toThrow(
      /softmaxCrossEntropy: logits \[1,2\] and labels \[1,3\]/,
    );
    expect(() => softmaxCrossEntropy(f32([[1, 2]]), f32([[2, -1]]))).toThrow(jt.ValueError);
  });
  it('has correct second derivatives', () => {
    expectGradsOk((x) => softmaxCrossEntropy(x, f64([[0.2, 0, 0.8]])), [f64([[0.3, -2, 1]])], 2);
  });
});
