import { describe, expect, it } from 'vitest';
import {
  DivergedError,
  describeNonFinite,
  firstNonFinite,
  requireFinite,
  requireFiniteLoss,
  requireFiniteTree,
} from './finite';

/** Stands in for a Jute array: the check only calls `data()`. */
const leaf = (...xs: number[]) => ({ data: () => Float32Array.from(xs) });

describe('firstNonFinite', () => {
  it('finds the first NaN or infinity, in key order, with its path and count', () => {
    const tree = {
      b: { kernel: leaf(1, Number.NaN, 2, Number.POSITIVE_INFINITY), bias: leaf(0) },
      a: [leaf(1, 2), leaf(3, Number.NEGATIVE_INFINITY)],
    };
    expect(firstNonFinite(tree)).toEqual({
      path: 'a.1',
      index: 1,
      value: Number.NEGATIVE_INFINITY,
      count: 1,
      size: 2,
    });
    const { a: _, ...onlyB } = tree;
    const nf = firstNonFinite(onlyB)!;
    expect(nf).toMatchObject({ path: 'b.kernel', index: 1, count: 2, size: 4 });
    expect(nf.value).toBeNaN();
    expect(describeNonFinite(nf)).toBe(
      "'b.kernel' holds 2 non-finite values of 4 (first NaN at flat index 1)",
    );
  });

  it('is undefined for finite trees, empty trees and leaves it cannot read', () => {
    expect(firstNonFinite({ w: leaf(1e38, -1e38, 0), s: 'x', n: null, k: 3 })).toBeUndefined();
    expect(firstNonFinite({})).toBeUndefined();
    expect(firstNonFinite({ step: Number.NaN })).toMatchObject({ path: 'step' });
    // A flat checkpoint map keeps its dotted names as they are.
    expect(firstNonFinite({ 'params.dense.kernel': leaf(Number.NaN) })?.path).toBe(
      'params.dense.kernel',
    );
  });
});

describe('requireFiniteLoss / requireFiniteTree', () => {
  it('throw DivergedError naming what and when', () => {
    expect(() => requireFiniteLoss(2.3, 'epoch 1, step 1')).not.toThrow();
    expect(() => requireFiniteLoss(Number.NaN, 'epoch 1, step 3')).toThrow(DivergedError);
    expect(() => requireFiniteLoss(Number.POSITIVE_INFINITY, 'epoch 2, step 9')).toThrow(
      'training diverged: loss Infinity at epoch 2, step 9',
    );
    expect(() => requireFinite(Math.exp(800), 'validation perplexity', 'epoch 2')).toThrow(
      /^training diverged: validation perplexity Infinity at epoch 2; stopped without saving it/,
    );
    expect(() => requireFiniteTree({ w: leaf(1) }, 'after epoch 1')).not.toThrow();
    expect(() => requireFiniteTree({ w: leaf(Number.NaN) }, 'after epoch 1')).toThrow(
      /^training diverged: 'w' holds 1 non-finite value of 1 \(first NaN at flat index 0\) after epoch 1; stopped without saving it \(checkpoints written before are kept; a smaller --lr may help\)$/,
    );
  });
});
