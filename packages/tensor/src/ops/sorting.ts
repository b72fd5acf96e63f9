import type { Array } from '../core/array';
import { ValueError } from '../core/errors';
import { normalizeAxis } from '../core/shape';
import { bind } from '../core/trace';
import { type ArrayLike, asArray } from './creation';
import { cast } from './elementwise';
import { reverseOrder } from './order';
import { slice } from './structural';

function sortWithIndices(x: Array, axis: number): [Array, Array] {
  const [values, indices] = bind('sort', [x], { axis });
  return [values!, indices!];
}

/** Sorts ascending along `axis` (default last; stable; NaN last). @example jt.sort(x) */
export function sort(x: ArrayLike, options: { axis?: number } = {}): Array {
  const a = asArray(x);
  return sortWithIndices(a, normalizeAxis('sort', options.axis ?? -1, a.ndim))[0];
}

/** Indices that sort along `axis` (stable). @example jt.argsort(x) */
export function argsort(x: ArrayLike, options: { axis?: number } = {}): Array {
  const a = asArray(x);
  return sortWithIndices(a, normalizeAxis('argsort', options.axis ?? -1, a.ndim))[1];
}

/**
 * The `k` largest entries along the last axis, largest first, with their indices.
 * @example const [values, indices] = jt.topK(logits, 5);
 */
export function topK(x: ArrayLike, k: number): [Array, Array] {
  const a = asArray(x);
  const n = a.shape[a.ndim - 1] ?? 1;
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new ValueError(`topK: k must be in [0, ${n}], got ${k}`);
  const key = a.dtype === 'bool' ? cast(a, 'int32') : a;
  const [negSorted, idx] = sortWithIndices(reverseOrder(key), a.ndim - 1);
  const end = a.shape.map((d, i) => (i === a.ndim - 1 ? k : d));
  return [cast(reverseOrder(slice(negSorted, [], end)), a.dtype), slice(idx, [], end)];
}
