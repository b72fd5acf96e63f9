import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f32, i32 } from '../test/helpers';
import { f1 } from './f1';
import { precision } from './precision';
import { recall } from './recall';

const LABELS = i32([0, 0, 1, 1, 1, 2, 2, 0]);
const PREDS = i32([0, 1, 1, 1, 2, 2, 1, 0]);

describe('precision, recall and f1 (one-shot)', () => {
  it('match the hand-computed confusion matrix, empty class 3 included', () => {
    const o = { numClasses: 4 } as const;
    expectClose(precision(PREDS, LABELS, { ...o, average: 'macro' }), 0.5);
    expectClose(recall(PREDS, LABELS, { ...o, average: 'macro' }), (2 / 3 + 2 / 3 + 0.5) / 4);
    expectClose(f1(PREDS, LABELS, { ...o, average: 'macro' }), (0.8 + 4 / 7 + 0.5) / 4);
    expectClose(precision(PREDS, LABELS, { ...o, average: 'weighted' }), 5.5 / 8);
    expectClose(f1(PREDS, LABELS, { ...o, average: 'micro' }), 5 / 8);
    expectClose(recall(PREDS, LABELS, { ...o, average: 'none' }), [2 / 3, 2 / 3, 0.5, 0], [4]);
  });
  it('binary: class 1 against class 0 by default', () => {
    const labels = i32([1, 0, 1, 1, 0]);
    const preds = i32([1, 1, 0, 1, 1]); // tp 2, fp 2, fn 1
    expectClose(precision(preds, labels, { average: 'binary' }), 0.5);
    expectClose(recall(preds, labels, { average: 'binary' }), 2 / 3);
    expectClose(f1(preds, labels, { average: 'binary' }), 4 / 7);
    // class 0 is predicted once (wrongly) and never recovered
    expectClose(precision(preds, labels, { average: 'binary', positiveLabel: 0 }), 0);
    expectClose(recall(preds, labels, { average: 'binary', positiveLabel: 0 }), 0);
    expectClose(
      precision(i32([1, 0, 0, 1, 1]), labels, { average: 'binary', positiveLabel: 0 }),
      0.5,
    );
  });
  it('binary with no positive predictions or labels gives 0, not NaN', () => {
    expectClose(precision(i32([0, 0]), i32([1, 0]), { average: 'binary' }), 0);
    expectClose(recall(i32([1, 0]), i32([0, 0]), { average: 'binary' }), 0);
    expectClose(f1(i32([0, 0]), i32([0, 0]), { average: 'binary' }), 0);
  });
  it('take numClasses from the class axis of scores', () => {
    const scores = f32([
      [0.9, 0.1, 0],
      [0.1, 0.1, 0.8],
      [0.2, 0.7, 0.1],
    ]);
    expectClose(precision(scores, i32([0, 2, 2]), { average: 'none' }), [1, 0, 1], [3]);
  });
  it('need numClasses for class indices unless binary, and reject bad input', () => {
    expect(() => f1(PREDS, LABELS, { average: 'macro' })).toThrow(/f1: numClasses is required/);
    expect(() => f1(i32([0, 2]), i32([0, 1]), { average: 'binary' })).toThrow(
      /f1: prediction 2 at flat index 0|f1: prediction 2 at flat index 1/,
    );
    expect(() => recall(PREDS, LABELS, { average: 'macro', numClasses: 2 })).toThrow(jt.ValueError);
    expect(() => precision(i32([0]), i32([0, 1]), { average: 'macro', numClasses: 2 })).toThrow(
      /precision: predictions \[1\] and labels \[2\]/,
    );
  });
});
