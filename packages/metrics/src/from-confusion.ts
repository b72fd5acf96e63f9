import * as jt from '@jute/tensor';
import { safeDiv } from './internal/validate';

/**
 * How per-class scores combine: `'binary'` the score of class `positiveLabel` (default 1;
 * with more than two classes this is that class against the rest), `'micro'` the score of
 * the pooled counts, `'macro'` the unweighted mean over all `numClasses` classes (a class
 * absent from both labels and predictions counts as 0), `'weighted'` the mean weighted by
 * support, `'none'` the per-class scores `[numClasses]`.
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'none';

/** How to reduce per-class scores (see `Average`). */
export interface AverageOptions {
  average: Average;
  /** The positive class for `average: 'binary'`. Default 1. */
  positiveLabel?: number;
}

interface Counts {
  /** True positives per class (the diagonal). */
  tp: jt.Array;
  /** Examples predicted as each class (column sums). */
  predicted: jt.Array;
  /** Examples of each class (row sums). */
  support: jt.Array;
}

function counts(fn: string, cm: jt.Array): Counts {
  if (cm.ndim !== 2 || cm.shape[0] !== cm.shape[1]) {
    throw new jt.ShapeError(
      `${fn}: a confusion matrix must be square [K, K], got ${jt.fmtShape(cm.shape)}`,
    );
  }
  const k = cm.shape[0]!;
  const m = jt.cast(cm, 'float32');
  return {
    tp: jt.take(jt.ravel(m), jt.arange(0, k * k, k + 1)),
    predicted: jt.sum(m, { axis: 0 }),
    support: jt.sum(m, { axis: 1 }),
  };
}

function average(
  fn: string,
  cm: jt.Array,
  options: AverageOptions,
  score: (tp: jt.Array, predicted: jt.Array, support: jt.Array) => jt.Array,
): jt.Array {
  const c = counts(fn, cm);
  const k = cm.shape[0]!;
  const perClass = score(c.tp, c.predicted, c.support);
  switch (options.average) {
    case 'none':
      return perClass;
    case 'macro':
      return jt.mean(perClass);
    case 'weighted':
      return safeDiv(jt.sum(jt.mul(perClass, c.support)), jt.sum(c.support));
    case 'micro':
      return score(jt.sum(c.tp), jt.sum(c.predicted), jt.sum(c.support));
    case 'binary': {
      const pos = options.positiveLabel ?? 1;
      if (!(Number.isInteger(pos) && pos >= 0 && pos < k)) {
        throw new jt.ValueError(`${fn}: positiveLabel ${pos} is out of range for ${k} classes`);
      }
      return jt.reshape(jt.slice(perClass, [pos], [pos + 1]), []);
    }
    default:
      throw new jt.ValueError(
        `${fn}: unknown average '${String(options.average)}' (binary, micro, macro, weighted or none)`,
      );
  }
}

/**
 * Accuracy from a confusion matrix: trace / total, 0 for an empty matrix.
 * @example metrics.accuracyFromConfusion(streaming.confusionMatrix({ numClasses: 10 }).compute(state))
 */
export function accuracyFromConfusion(cm: jt.Array): jt.Array {
  const c = counts('accuracyFromConfusion', cm);
  return safeDiv(jt.sum(c.tp), jt.sum(c.support));
}

/**
 * Precision `tp / (tp + fp)` from a confusion matrix (rows true, columns predicted);
 * 0 for a class that is never predicted (sklearn's `zero_division=0`).
 * @example metrics.precisionFromConfusion(cm, { average: 'macro' })
 */
export const precisionFromConfusion = (cm: jt.Array, options: AverageOptions): jt.Array =>
  average('precisionFromConfusion', cm, options, (tp, predicted) => safeDiv(tp, predicted));

/**
 * Recall `tp / (tp + fn)` from a confusion matrix; 0 for a class with no support.
 * @example metrics.recallFromConfusion(cm, { average: 'weighted' })
 */
export const recallFromConfusion = (cm: jt.Array, options: AverageOptions): jt.Array =>
  average('recallFromConfusion', cm, options, (tp, _predicted, support) => safeDiv(tp, support));

/**
 * F1 `2·tp / (2·tp + fp + fn)` (the harmonic mean of precision and recall) from a
 * confusion matrix; 0 for a class with neither support nor predictions.
 * @example metrics.f1FromConfusion(cm, { average: 'binary', positiveLabel: 1 })
 */
export const f1FromConfusion = (cm: jt.Array, options: AverageOptions): jt.Array =>
  average('f1FromConfusion', cm, options, (tp, predicted, support) =>
    safeDiv(jt.mul(tp, 2), jt.add(predicted, support)),
  );
