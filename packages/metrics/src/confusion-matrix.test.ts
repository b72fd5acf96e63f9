import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f32, i32 } from '../test/helpers';
import { confusionMatrix } from './confusion-matrix';

// 4 classes; class 3 has neither support nor predictions.
const LABELS = [0, 0, 1, 1, 1, 2, 2, 0];
const PREDS = [0, 1, 1, 1, 2, 2, 1, 0];
const CM = [
  [2, 1, 0, 0],
  [0, 2, 1, 0],
  [0, 1, 1, 0],
  [0, 0, 0, 0],
];

describe('confusionMatrix', () => {
  it('has true labels as rows and predictions as columns', () => {
    const cm = confusionMatrix(i32(PREDS), i32(LABELS), { numClasses: 4 });
    expect(cm.dtype).toBe('int32');
    expectClose(cm, CM, [4, 4]);
    expectClose(
      confusionMatrix(i32([1]), i32([0]), { numClasses: 2 }),
      [
        [0, 1],
        [0, 0],
      ],
      [2, 2],
    );
  });
  it('takes the argmax of scores and flattens leading axes', () => {
    const scores = f32([
      [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
      [
        [0.3, 0.7],
        [0.6, 0.4],
      ],
    ]);
    expectClose(
      confusionMatrix(
        scores,
        i32([
          [0, 1],
          [0, 1],
        ]),
        { numClasses: 2 },
      ),
      [
        [1, 1],
        [1, 1],
      ],
      [2, 2],
    );
  });
  it('accepts bool labels and predictions', () => {
    expectClose(
      confusionMatrix(jt.array([true, false]), jt.array([true, true]), { numClasses: 2 }),
      [
        [0, 0],
        [1, 1],
      ],
      [2, 2],
    );
  });
  it('is all zeros for an empty batch', () => {
    expectClose(
      confusionMatrix(i32([]), i32([]), { numClasses: 3 }),
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
      [3, 3],
    );
  });
  it('rejects out-of-range classes, mismatched shapes and float labels', () => {
    expect(() => confusionMatrix(i32([0, 3]), i32([0, 1]), { numClasses: 3 })).toThrow(
      jt.ValueError,
    );
    expect(() => confusionMatrix(i32([0, 1]), i32([0, 3]), { numClasses: 3 })).toThrow(
      /confusionMatrix: label 3 at flat index 1 is out of range for numClasses 3/,
    );
    expect(() => confusionMatrix(i32([0, 1]), i32([-1, 0]), { numClasses: 3 })).toThrow(
      jt.ValueError,
    );
    expect(() => confusionMatrix(i32([0, 1, 1]), i32([0, 1]), { numClasses: 3 })).toThrow(
      jt.ShapeError,
    );
    expect(() => confusionMatrix(i32([0, 1, 1]), i32([0, 1]), { numClasses: 3 })).toThrow(
      /predictions \[3\] and labels \[2\]/,
    );
    expect(() => confusionMatrix(f32([[1, 0]]), i32([0]), { numClasses: 3 })).toThrow(
      /have 2 classes, but numClasses is 3/,
    );
    expect(() => confusionMatrix(i32([0]), f32([0]), { numClasses: 3 })).toThrow(jt.DTypeError);
    expect(() => confusionMatrix(f32([0]), i32([0]), { numClasses: 3 })).toThrow(jt.DTypeError);
    expect(() => confusionMatrix(i32([0]), i32([0]), { numClasses: 0 })).toThrow(jt.ValueError);
  });
});
