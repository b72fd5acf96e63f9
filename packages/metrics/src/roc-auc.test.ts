import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f32, i32 } from '../test/helpers';
import { rocAuc } from './roc-auc';

/** AUC by counting pairs: a positive above a negative counts 1, a tie 1/2. */
function pairwise(s: number[], y: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.length; i++) {
    for (let j = 0; j < s.length; j++) {
      if (y[i] === 1 && y[j] === 0) {
        den++;
        num += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    }
  }
  return num / den;
}

describe('rocAuc', () => {
  it('matches hand-computed values', () => {
    expectClose(rocAuc(f32([0.1, 0.4, 0.35, 0.8]), i32([0, 0, 1, 1])), 0.75);
    expectClose(rocAuc(f32([0.9, 0.1]), i32([1, 0])), 1);
    expectClose(rocAuc(f32([0.9, 0.1]), i32([0, 1])), 0);
  });
  it('counts ties one half (average ranks)', () => {
    expectClose(rocAuc(f32([0.1, 0.5, 0.5, 0.9]), i32([0, 0, 1, 1])), 0.875);
    expectClose(rocAuc(f32([0.5, 0.5, 0.5, 0.5]), i32([0, 1, 0, 1])), 0.5);
  });
  it('agrees with pair counting on random scores with many ties', () => {
    const [k1, k2] = jt.random.split(jt.random.key(3), 2);
    const s = jt.floor(jt.mul(jt.random.uniform(k1!, [200]), 10));
    const y = jt.random.randint(k2!, [200], 0, 2);
    expectClose(rocAuc(s, y), pairwise(Array.from(s.data()), Array.from(y.data())), [], 1e-6);
  });
  it('accepts bool labels and logits', () => {
    expectClose(rocAuc(f32([-3, 2, 1e4]), jt.array([false, true, true])), 1);
  });
  it('rejects one-class labels, non-binary labels and bad shapes', () => {
    expect(() => rocAuc(f32([0.1, 0.2]), i32([1, 1]))).toThrow(jt.ValueError);
    expect(() => rocAuc(f32([0.1, 0.2]), i32([1, 1]))).toThrow(/only one class/);
    expect(() => rocAuc(f32([0.1, 0.2]), i32([0, 2]))).toThrow(
      /rocAuc: labels must be 0 or 1, got 2/,
    );
    expect(() => rocAuc(f32([[0.1, 0.2]]), i32([0, 1]))).toThrow(
      /rocAuc: scores \[1,2\] and labels \[2\]/,
    );
    expect(() => rocAuc(f32([0.1, 0.2]), f32([0, 1]))).toThrow(jt.DTypeError);
    expect(() => rocAuc(f32([Number.NaN, 0.2]), i32([0, 1]))).toThrow(jt.ValueError);
  });
});
