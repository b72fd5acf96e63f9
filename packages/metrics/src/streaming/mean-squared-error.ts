import * as jt from '@jute/tensor';
import { regressionPair, safeDiv } from '../internal/validate';
import type { StreamingMetric } from './streaming-metric';

/** Sum of squared errors and element count. */
export interface SquaredErrorState {
  readonly sse: jt.Array;
  readonly count: jt.Array;
}

/**
 * Streaming mean squared error over all elements (float32 state).
 * @example
 * const mse = streaming.meanSquaredError();
 * s = mse.update(s, predictions, targets);
 */
export const meanSquaredError = (): StreamingMetric<SquaredErrorState> => ({
  init: () => ({ sse: jt.zeros([]), count: jt.zeros([], { dtype: 'int32' }) }),
  update: (s, predictions, targets) => {
    const [p, t] = regressionPair('streaming.meanSquaredError', predictions, targets);
    const sse = jt.cast(jt.sum(jt.square(jt.sub(p, t))), 'float32');
    return { sse: jt.add(s.sse, sse), count: jt.add(s.count, p.size) };
  },
  merge: (a, b) => ({ sse: jt.add(a.sse, b.sse), count: jt.add(a.count, b.count) }),
  compute: (s) => safeDiv(s.sse, jt.cast(s.count, 'float32')),
});
