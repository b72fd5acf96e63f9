import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as losses from './index';

describe('plain JS arrays', () => {
  it('every loss takes nested JS arrays as the ops do', () => {
    const p = [
      [0.2, 0.8],
      [0.6, 0.4],
    ];
    const t = [
      [0, 1],
      [1, 0],
    ];
    // (0.2² + 0.2²) / 2 per row.
    expect(Array.from(losses.meanSquaredError(p as never, t as never).data())).toEqual([
      expect.closeTo(0.04, 6),
      expect.closeTo(0.16, 6),
    ]);
    for (const loss of [
      losses.meanAbsoluteError,
      losses.huber,
      losses.logCosh,
      losses.softmaxCrossEntropy,
      losses.sigmoidBinaryCrossEntropy,
      losses.klDivergence,
      losses.cosineSimilarity,
    ]) {
      expect(loss(p as never, t as never).shape).toEqual([2]);
    }
    expect(
      losses.sparseSoftmaxCrossEntropy(p as never, jt.array([1, 0], { dtype: 'int32' })).shape,
    ).toEqual([2]);
    expect(losses.hinge([[0.5, -2]] as never, [[1, -1]] as never).shape).toEqual([1]);
  });
});
