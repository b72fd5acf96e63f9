import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f32, i32 } from '../test/helpers';
import { meanSquaredError } from './mean-squared-error';
import { perplexity } from './perplexity';
import { r2Score } from './r2-score';

describe('meanSquaredError', () => {
  it('averages over every element', () => {
    expectClose(meanSquaredError(f32([1, 2]), f32([0, 4])), 2.5);
    expectClose(
      meanSquaredError(
        f32([
          [1, 2],
          [3, 4],
        ]),
        f32([
          [1, 2],
          [3, 0],
        ]),
      ),
      4,
    );
    expectClose(meanSquaredError(f32([]), f32([])), 0);
  });
  it('rejects mismatched shapes and integer predictions', () => {
    expect(() => meanSquaredError(f32([1, 2]), f32([[1, 2]]))).toThrow(
      /meanSquaredError: predictions \[2\] and targets \[1,2\]/,
    );
    expect(() => meanSquaredError(i32([1]), i32([1]))).toThrow(jt.DTypeError);
  });
});

describe('r2Score', () => {
  it('matches hand-computed values', () => {
    // sklearn's example: 1 - 1.5 / 29.1875
    expectClose(r2Score(f32([2.5, 0, 2, 8]), f32([3, -0.5, 2, 7])), 1 - 1.5 / 29.1875);
    expectClose(r2Score(f32([1, 2, 3]), f32([1, 2, 3])), 1);
    expectClose(r2Score(f32([2, 2, 2]), f32([1, 2, 3])), 0);
  });
  it('averages multi-output scores uniformly', () => {
    const t = [
      [0.5, 1],
      [-1, 1],
      [7, -6],
    ];
    const p = [
      [0, 2],
      [-1, 2],
      [8, -5],
    ];
    const col = (j: number) => {
      const ys = t.map((r) => r[j]!);
      const m = ys.reduce((a, b) => a + b) / 3;
      const tot = ys.reduce((a, y) => a + (y - m) ** 2, 0);
      const res = ys.reduce((a, y, i) => a + (y - p[i]![j]!) ** 2, 0);
      return 1 - res / tot;
    };
    expectClose(r2Score(f32(p), f32(t)), (col(0) + col(1)) / 2);
  });
  it('gives 1 or 0 for a constant target instead of dividing by zero', () => {
    expectClose(r2Score(f32([1, 1]), f32([1, 1])), 1);
    expectClose(r2Score(f32([1, 2]), f32([1, 1])), 0);
  });
  it('rejects bad shapes', () => {
    expect(() => r2Score(f32([1, 2]), f32([1]))).toThrow(jt.ShapeError);
    expect(() => r2Score(f32(1), f32(1))).toThrow(
      /r2Score: targets must be \[batch\] or \[batch, outputs\]/,
    );
  });
});

describe('perplexity', () => {
  it('is exp of the mean cross-entropy', () => {
    expectClose(perplexity(Math.log(4)), 4, [], 1e-6);
    expectClose(perplexity(f32([Math.log(2), Math.log(8)])), 4, [], 1e-6);
  });
  it('rejects integer and empty inputs', () => {
    expect(() => perplexity(i32([1]))).toThrow(jt.DTypeError);
    expect(() => perplexity(f32([]))).toThrow(jt.ShapeError);
  });
});
