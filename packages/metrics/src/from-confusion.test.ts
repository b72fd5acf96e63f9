import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, i32 } from '../test/helpers';
import {
  accuracyFromConfusion,
  f1FromConfusion,
  precisionFromConfusion,
  recallFromConfusion,
} from './from-confusion';

// Rows true, columns predicted; class 3 is empty. tp [2,2,1,0], predicted [2,4,2,0], support [3,3,2,0].
const cm = i32([
  [2, 1, 0, 0],
  [0, 2, 1, 0],
  [0, 1, 1, 0],
  [0, 0, 0, 0],
]);
const P = [1, 0.5, 0.5, 0];
const R = [2 / 3, 2 / 3, 0.5, 0];
const F = [4 / 5, 4 / 7, 0.5, 0];
const support = [3, 3, 2, 0];
const weighted = (xs: number[]) => xs.reduce((s, x, i) => s + x * support[i]!, 0) / 8;
const macro = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / 4;

describe('scores from a confusion matrix', () => {
  it('per class, with 0 for the empty class', () => {
    expectClose(precisionFromConfusion(cm, { average: 'none' }), P, [4]);
    expectClose(recallFromConfusion(cm, { average: 'none' }), R, [4]);
    expectClose(f1FromConfusion(cm, { average: 'none' }), F, [4]);
  });
  it('macro averages over every class, the empty one included', () => {
    expectClose(precisionFromConfusion(cm, { average: 'macro' }), macro(P));
    expectClose(recallFromConfusion(cm, { average: 'macro' }), macro(R));
    expectClose(f1FromConfusion(cm, { average: 'macro' }), macro(F));
  });
  it('weighted averages by support', () => {
    expectClose(precisionFromConfusion(cm, { average: 'weighted' }), weighted(P));
    expectClose(recallFromConfusion(cm, { average: 'weighted' }), weighted(R));
    expectClose(f1FromConfusion(cm, { average: 'weighted' }), weighted(F));
  });
  it('micro pools the counts (equal to accuracy for single-label data)', () => {
    for (const f of [precisionFromConfusion, recallFromConfusion, f1FromConfusion])
      expectClose(f(cm, { average: 'micro' }), 5 / 8);
    expectClose(accuracyFromConfusion(cm), 5 / 8);
  });
  it('binary picks positiveLabel (default 1)', () => {
    expectClose(precisionFromConfusion(cm, { average: 'binary' }), 0.5);
    expectClose(recallFromConfusion(cm, { average: 'binary' }), 2 / 3);
    expectClose(f1FromConfusion(cm, { average: 'binary' }), 4 / 7);
    expectClose(f1FromConfusion(cm, { average: 'binary', positiveLabel: 3 }), 0);
    expect(() => f1FromConfusion(cm, { average: 'binary', positiveLabel: 4 })).toThrow(
      jt.ValueError,
    );
  });
  it('an empty matrix gives 0 everywhere, never NaN', () => {
    const empty = jt.zeros([3, 3], { dtype: 'int32' });
    for (const average of ['binary', 'micro', 'macro', 'weighted'] as const) {
      for (const f of [precisionFromConfusion, recallFromConfusion, f1FromConfusion])
        expectClose(f(empty, { average }), 0);
    }
    expectClose(accuracyFromConfusion(empty), 0);
  });
  it('rejects non-square matrices', () => {
    expect(() => precisionFromConfusion(i32([[1, 2, 3]]), { average: 'macro' })).toThrow(
      /must be square \[K, K\], got \[1,3\]/,
    );
  });
});
