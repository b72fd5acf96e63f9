import * as jt from '@jute/tensor';
import { r2FromSums } from '../internal/r2';
import { regressionPair } from '../internal/validate';
import type { StreamingMetric } from './streaming-metric';

/** Per-output count, target mean, centred sum of squares (`m2`) and residual sum of squares. */
export interface R2State {
  readonly count: jt.Array;
  readonly mean: jt.Array;
  readonly m2: jt.Array;
  readonly sse: jt.Array;
}

/** Options of `streaming.r2Score`. */
export interface StreamingR2Options {
  /** Targets are `[batch, numOutputs]`; omitted, they are `[batch]`. */
  numOutputs?: number;
}

/** Chan et al.'s parallel merge of means and centred sums of squares: no `Σt² - (Σt)²/n` cancellation. */
function merge(a: R2State, b: R2State): R2State {
  const n = jt.add(a.count, b.count);
  const nf = jt.cast(n, 'float32');
  const safeN = jt.where(jt.greater(n, 0), nf, 1);
  const na = jt.cast(a.count, 'float32');
  const nb = jt.cast(b.count, 'float32');
  const delta = jt.sub(b.mean, a.mean);
  return {
    count: n,
    mean: jt.add(a.mean, jt.mul(delta, jt.div(nb, safeN))),
    m2: jt.add(jt.add(a.m2, b.m2), jt.mul(jt.square(delta), jt.div(jt.mul(na, nb), safeN))),
    sse: jt.add(a.sse, b.sse),
  };
}

/**
 * Streaming R² (same conventions as the one-shot `r2Score`), exact up to float32
 * rounding: the state keeps running means and centred sums of squares, merged with
 * Chan's formula rather than raw sums of squares, which cancel catastrophically.
 * @example
 * const r2 = streaming.r2Score();
 * s = r2.update(s, predictions, targets);
 */
export function r2Score(options: StreamingR2Options = {}): StreamingMetric<R2State> {
  const fn = 'streaming.r2Score';
  const d = options.numOutputs;
  if (d !== undefined && !(Number.isInteger(d) && d >= 1))
    throw new jt.ValueError(`${fn}: numOutputs must be a positive integer, got ${d}`);
  const shape = d === undefined ? [] : [d];
  return {
    init: () => ({
      count: jt.zeros([], { dtype: 'int32' }),
      mean: jt.zeros(shape),
      m2: jt.zeros(shape),
      sse: jt.zeros(shape),
    }),
    update: (s, predictions, targets) => {
      const [p, t] = regressionPair(fn, predictions, targets);
      const want = d === undefined ? 'rank 1 ([batch])' : `[batch, ${d}]`;
      if (d === undefined ? t.ndim !== 1 : t.ndim !== 2 || t.shape[1] !== d) {
        throw new jt.ShapeError(
          `${fn}: targets ${jt.fmtShape(t.shape)} must be ${want} (set numOutputs for multi-output targets)`,
        );
      }
      const n = t.shape[0]!;
      if (n === 0) return s;
      const t32 = jt.cast(t, 'float32');
      const m = jt.mean(t32, { axis: 0 });
      const batch: R2State = {
        count: jt.full([], n, { dtype: 'int32' }),
        mean: m,
        m2: jt.sum(jt.square(jt.sub(t32, m)), { axis: 0 }),
        sse: jt.sum(jt.square(jt.sub(t32, jt.cast(p, 'float32'))), { axis: 0 }),
      };
      return merge(s, batch);
    },
    merge,
    compute: (s) => r2FromSums(s.sse, s.m2),
  };
}
