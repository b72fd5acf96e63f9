import * as jt from '@jute/tensor';
import { concreteValues } from './validate';

/**
 * Checks integer class labels against `logits`: int32, shape `logits.shape[:-1]`, and
 * (when readable) values in `[0, numClasses)` or equal to `ignoreIndex`.
 */
export function requireSparseLabels(
  fn: string,
  logits: jt.Array,
  labels: jt.Array,
  ignoreIndex?: number,
): void {
  if (labels.dtype !== 'int32') {
    throw new jt.DTypeError(
      `${fn}: labels must be int32 class indices, got ${labels.dtype}${jt.fmtShape(labels.shape)} (use jt.array(..., { dtype: 'int32' }))`,
    );
  }
  const lead = logits.shape.slice(0, -1);
  if (labels.ndim !== lead.length || labels.shape.some((d, i) => d !== lead[i])) {
    throw new jt.ShapeError(
      `${fn}: labels ${jt.fmtShape(labels.shape)} must have shape ${jt.fmtShape(lead)} (logits ${jt.fmtShape(logits.shape)} without the class axis)`,
    );
  }
  const k = logits.shape[logits.ndim - 1]!;
  const v = concreteValues(labels);
  if (v === undefined) return;
  for (let i = 0; i < v.length; i++) {
    const l = v[i]!;
    if ((l < 0 || l >= k) && l !== ignoreIndex) {
      throw new jt.ValueError(
        `${fn}: label ${l} at flat index ${i} is out of range for ${k} classes (logits ${jt.fmtShape(logits.shape)})`,
      );
    }
  }
}

/** `logp[..., label]` for every position; labels must already be valid indices. */
export const pickClass = (logp: jt.Array, labels: jt.Array): jt.Array =>
  jt.squeeze(jt.takeAlongAxis(logp, jt.expandDims(labels, -1), -1), -1);
