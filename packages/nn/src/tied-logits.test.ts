import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64 } from '../test/helpers';
import * as nn from './index';

describe('tiedLogits', () => {
  it('projects onto the embedding table: logits = x @ tableᵀ', () => {
    const table = f64([
      [1, 0],
      [0, 1],
      [2, -1],
    ]);
    expectClose(nn.tiedLogits({ embedding: table }, f64([[[3, 5]]])), [[[3, 5, 1]]]);
    expect(() => nn.tiedLogits({ embedding: table }, jt.ones([1, 3]))).toThrow(
      /tied_logits: expected 2 embedding features/,
    );
  });
  it('sums the gradients of both uses of the table', () => {
    const emb = nn.embedding({ vocabSize: 5, features: 3 });
    const ids = jt.array([[0, 3, 3, 1]], { dtype: 'int32' });
    const model = (table: jt.Array) => {
      const p = { embedding: table };
      return nn.tiedLogits(p, jt.tanh(emb.apply(p, ids).y));
    };
    const table = jt.random.normal(jt.random.key(0), [5, 3], { dtype: 'float64' });
    expectGradsOk(model, [table]);
  });
});
