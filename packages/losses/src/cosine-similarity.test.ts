import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { cosineSimilarity } from './cosine-similarity';

describe('cosineSimilarity', () => {
  it('is 1 - cos over the last axis', () => {
    expectClose(
      cosineSimilarity(
        f32([
          [1, 0],
          [1, 1],
          [3, 4],
        ]),
        f32([
          [1, 0],
          [-1, -1],
          [4, 3],
        ]),
      ),
      [0, 2, 1 - 24 / 25],
      [3],
    );
  });
  it('gives loss 1 for a zero vector', () => {
    expectClose(cosineSimilarity(f32([[0, 0]]), f32([[1, 2]])), [1], [1]);
  });
  it('keeps leading axes', () => {
    expect(cosineSimilarity(jt.ones([2, 3, 4]), jt.ones([2, 3, 4])).shape).toEqual([2, 3]);
  });
  it('is finite for huge and tiny magnitudes', () => {
    expectClose(
      cosineSimilarity(
        f32([
          [1e30, 1e30],
          [1e-30, 0],
        ]),
        f32([
          [1, 1],
          [1, 0],
        ]),
      ),
      [0, 0],
      [2],
    );
    expectFiniteWithGrad(
      (x) =>
        cosineSimilarity(
          x,
          f32([
            [1, 2],
            [3, -1],
          ]),
        ),
      f32([
        [1e4, -1e4],
        [1e30, 1],
      ]),
    );
  });
  it('has correct gradients', () => {
    expectGradsOk(
      (x, y) => cosineSimilarity(x, y),
      [
        f64([
          [0.3, -2, 1],
          [5, -0.7, 0.2],
        ]),
        f64([
          [1, 0.5, -1],
          [0.1, 0.2, 0.3],
        ]),
      ],
    );
  });
  it('rejects mismatched shapes', () => {
    expect(() => cosineSimilarity(f32([[1, 0]]), f32([[1, 0, 0]]))).toThrow(
      /cosineSimilarity: predictions \[1,2\] and targets \[1,3\]/,
    );
  });
  it('has correct second derivatives', () => {
    expectGradsOk((x, y) => cosineSimilarity(x, y), [f64([[0.3, -2, 1]]), f64([[1, 0.5, -1]])], 2);
  });
});
