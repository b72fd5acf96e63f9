import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';

const same = (a: jt.Shape, b: jt.Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** The values of `x` when they can be read (inside a transform value checks are skipped). */
export const concreteValues = (x: jt.Array): ArrayLike<number> | undefined =>
  x instanceof jc.ConcreteArray ? x.buffer : undefined;

/** Labels must be int32 or bool class indices; bools become 0/1. */
export function labelIndices(fn: string, labels: jt.Array): jt.Array {
  if (labels.dtype === 'int32') return labels;
  if (labels.dtype === 'bool') return jt.cast(labels, 'int32');
  throw new jt.DTypeError(
    `${fn}: labels must be int32 (or bool) class indices, got ${labels.dtype}${jt.fmtShape(labels.shape)} (use jt.array(..., { dtype: 'int32' }))`,
  );
}

/** Checks that readable class indices lie in `[0, numClasses)`. */
export function requireClassRange(fn: string, what: string, x: jt.Array, numClasses: number): void {
  const v = concreteValues(x);
  if (v === undefined) return;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (!(c >= 0 && c < numClasses)) {
      throw new jt.ValueError(
        `${fn}: ${what} ${c} at flat index ${i} is out of range for numClasses ${numClasses} (shape ${jt.fmtShape(x.shape)})`,
      );
    }
  }
}

export function requireNumClasses(fn: string, numClasses: number): void {
  if (!(Number.isInteger(numClasses) && numClasses >= 1)) {
    throw new jt.ValueError(`${fn}: numClasses must be a positive integer, got ${numClasses}`);
  }
}

/** Class predictions and labels, both int32 of the labels' shape. */
export interface ClassIndices {
  readonly predictions: jt.Array;
  readonly labels: jt.Array;
  /** The size of the class axis when predictions were scores. */
  readonly scoreClasses: number | undefined;
}

/**
 * Normalises `(predictions, labels)` for classification metrics. Predictions are either
 * class indices (int32 or bool, the labels' shape) or scores/logits/probabilities with one
 * more trailing class axis, reduced by argmax (first index on ties). Float predictions of
 * the labels' shape are refused: thresholding them is the caller's decision.
 * When `numClasses` is given, indices are range-checked (when readable).
 */
export function classIndices(
  fn: string,
  predictions: jt.Array,
  labels: jt.Array,
  numClasses?: number,
): ClassIndices {
  const l = labelIndices(fn, labels);
  let p: jt.Array;
  let scoreClasses: number | undefined;
  if (predictions.ndim === labels.ndim + 1 && same(predictions.shape.slice(0, -1), labels.shape)) {
    scoreClasses = predictions.shape[predictions.ndim - 1]!;
    if (numClasses !== undefined && scoreClasses !== numClasses) {
      throw new jt.ShapeError(
        `${fn}: predictions ${jt.fmtShape(predictions.shape)} have ${scoreClasses} classes, but numClasses is ${numClasses}`,
      );
    }
    if (scoreClasses === 0)
      throw new jt.ShapeError(
        `${fn}: predictions ${jt.fmtShape(predictions.shape)} have an empty class axis`,
      );
    p = jt.cast(jt.argmax(predictions, { axis: -1 }), 'int32');
  } else if (same(predictions.shape, labels.shape)) {
    if (predictions.dtype === 'bool') p = jt.cast(predictions, 'int32');
    else if (predictions.dtype === 'int32') p = predictions;
    else {
      throw new jt.DTypeError(
        `${fn}: predictions ${predictions.dtype}${jt.fmtShape(predictions.shape)} of the labels' shape must be int32 class indices; pass scores with a trailing class axis [..., numClasses] to take their argmax, or threshold binary scores yourself`,
      );
    }
  } else {
    throw new jt.ShapeError(
      `${fn}: predictions ${jt.fmtShape(predictions.shape)} and labels ${jt.fmtShape(labels.shape)} do not match: predictions must be class indices of the labels' shape, or scores with one more trailing class axis`,
    );
  }
  if (numClasses !== undefined) {
    requireNumClasses(fn, numClasses);
    requireClassRange(fn, 'label', l, numClasses);
    if (scoreClasses === undefined) requireClassRange(fn, 'prediction', p, numClasses);
  }
  return { predictions: p, labels: l, scoreClasses };
}

/** Regression inputs: float, equal shapes. */
export function regressionPair(
  fn: string,
  predictions: jt.Array,
  targets: jt.Array,
): [jt.Array, jt.Array] {
  if (!jt.isFloat(predictions.dtype)) {
    throw new jt.DTypeError(
      `${fn}: predictions must be float32 or float64, got ${predictions.dtype}${jt.fmtShape(predictions.shape)}`,
    );
  }
  if (!same(predictions.shape, targets.shape)) {
    throw new jt.ShapeError(
      `${fn}: predictions ${jt.fmtShape(predictions.shape)} and targets ${jt.fmtShape(targets.shape)} must have the same shape`,
    );
  }
  return [predictions, jt.cast(targets, predictions.dtype)];
}

/** `a / b`, and 0 where `b` is 0 (value and gradient stay finite). */
export function safeDiv(a: jt.Array, b: jt.Array): jt.Array {
  const nz = jt.notEqual(b, 0);
  return jt.where(nz, jt.div(a, jt.where(nz, b, 1)), 0);
}
