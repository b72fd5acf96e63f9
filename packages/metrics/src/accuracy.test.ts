import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f32, i32 } from '../test/helpers';
import { accuracy } from './accuracy';
import { topKAccuracy } from './top-k-accuracy';

describe('accuracy', () => {
  it('counts matching class indices', () => {
    expectClose(accuracy(i32([0, 1, 1, 1, 2, 2, 1, 0]), i32([0, 0, 1, 1, 1, 2, 2, 0])), 5 / 8);
    expect(accuracy(i32([1]), i32([1])).dtype).toBe('float32');
  });
  it('takes the argmax of scores (first index on ties)', () => {
    expectClose(
      accuracy(
        f32([
          [0.1, 0.9],
          [0.5, 0.5],
          [2, -1],
        ]),
        i32([1, 0, 1]),
      ),
      2 / 3,
    );
    expectClose(
      accuracy(
        f32([
          [
            [1, 0],
            [0, 1],
          ],
        ]),
        i32([[0, 0]]),
      ),
      0.5,
    );
  });
  it('is 0 for an empty batch', () => {
    expectClose(accuracy(i32([]), i32([])), 0);
  });
  it('rejects mismatched shapes and float class predictions', () => {
    expect(() => accuracy(i32([0, 1]), i32([0]))).toThrow(
      /accuracy: predictions \[2\] and labels \[1\]/,
    );
    expect(() => accuracy(f32([0.7]), i32([1]))).toThrow(jt.DTypeError);
  });
});

describe('topKAccuracy', () => {
  const scores = f32([
    [0.1, 0.5, 0.4],
    [0.6, 0.3, 0.1],
    [0.2, 0.2, 0.6],
  ]);
  it('counts labels among the k highest scores', () => {
    const labels = i32([2, 2, 0]);
    expectClose(topKAccuracy(scores, labels, { k: 1 }), 0);
    expectClose(topKAccuracy(scores, labels, { k: 2 }), 2 / 3); // row 2: class 0 ties class 1 for second
    expectClose(topKAccuracy(scores, labels, { k: 3 }), 1);
    expectClose(topKAccuracy(scores, labels, { k: 10 }), 1);
  });
  it('equals accuracy for k = 1 without ties', () => {
    const labels = i32([1, 1, 2]);
    expectClose(topKAccuracy(scores, labels, { k: 1 }), Number(accuracy(scores, labels).item()));
  });
  it('never counts NaN scores', () => {
    expectClose(topKAccuracy(f32([[Number.NaN, 0]]), i32([0]), { k: 1 }), 0);
  });
  it('rejects bad k, shapes and labels', () => {
    expect(() => topKAccuracy(scores, i32([0, 1, 2]), { k: 0 })).toThrow(jt.ValueError);
    expect(() => topKAccuracy(scores, i32([0, 1]))).toThrow(jt.ShapeError);
    expect(() => topKAccuracy(scores, i32([0, 1, 3]))).toThrow(
      /topKAccuracy: label 3 at flat index 2 is out of range for 3 classes/,
    );
  });
});
