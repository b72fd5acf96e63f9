import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { classIndices, labelIndices } from './validate';

/** Number of correct predictions and of examples (int32 scalars). */
export function accuracyCounts(
  fn: string,
  predictions: jt.Array,
  labels: jt.Array,
): [jt.Array, jt.Array] {
  const c = classIndices(fn, predictions, labels);
  return [
    jt.sum(jt.equal(c.predictions, c.labels)),
    jt.full([], c.labels.size, { dtype: 'int32' }),
  ];
}

export function requireK(fn: string, k: number): void {
  if (!(Number.isInteger(k) && k >= 1))
    throw new jt.ValueError(`${fn}: k must be a positive integer, got ${k}`);
}

/**
 * Number of examples whose label is among the `k` highest scores, and of examples.
 * A label counts as in the top k when fewer than `k` classes score strictly higher, so
 * ties at the boundary count as hits (as TensorFlow's `in_top_k`); a NaN score never hits.
 */
export function topKCounts(
  fn: string,
  scores: jt.Array,
  labels: jt.Array,
  k: number,
): [jt.Array, jt.Array] {
  requireK(fn, k);
  const l = labelIndices(fn, labels);
  const lead = scores.shape.slice(0, -1);
  if (scores.ndim !== l.ndim + 1 || lead.some((d, i) => d !== l.shape[i])) {
    throw new jt.ShapeError(
      `${fn}: scores ${jt.fmtShape(scores.shape)} must be the labels' shape ${jt.fmtShape(l.shape)} plus a trailing class axis`,
    );
  }
  const numClasses = scores.shape[scores.ndim - 1]!;
  const v = l instanceof jc.ConcreteArray ? l.buffer : undefined;
  if (v) {
    for (let i = 0; i < v.length; i++) {
      if (!(v[i]! >= 0 && v[i]! < numClasses)) {
        throw new jt.ValueError(
          `${fn}: label ${v[i]} at flat index ${i} is out of range for ${numClasses} classes (scores ${jt.fmtShape(scores.shape)})`,
        );
      }
    }
  }
  const s = jt.isFloat(scores.dtype) ? scores : jt.cast(scores, 'float32');
  const own = jt.takeAlongAxis(s, jt.expandDims(l, -1), -1);
  const higher = jt.sum(jt.greater(s, own), { axis: -1 });
  const hit = jt.logicalAnd(jt.less(higher, k), jt.logicalNot(jt.isNan(jt.squeeze(own, -1))));
  return [jt.sum(hit), jt.full([], l.size, { dtype: 'int32' })];
}
