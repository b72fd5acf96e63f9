import { Array, ConcreteArray } from '../core/array';
import { isInt } from '../core/dtype';
import { DTypeError, fmtShape, ShapeError, ValueError } from '../core/errors';
import { normalizeAxis, sizeOf } from '../core/shape';
import { bind1 } from '../core/trace';
import { type ArrayLike, arange, array, asArray, type DTypeOptions, ones } from './creation';
import { add, broadcastTo, cast, equal, mul, where } from './elementwise';
import { expandDims, moveAxis, ravel, reshape } from './structural';

type Indices = Array | number | readonly number[];

/** Integer indices as an int32 array; concrete negatives wrap and are range-checked. */
function toIndexArray(op: string, indices: Indices, size: number): Array {
  const idx =
    indices instanceof Array
      ? indices
      : array(typeof indices === 'number' ? indices : [...indices], { dtype: 'int32' });
  if (!isInt(idx.dtype)) throw new DTypeError(`${op}: indices must be int32, got ${idx.dtype}`);
  if (!(idx instanceof ConcreteArray)) return idx;
  const data = idx.buffer as Int32Array;
  let wrapped: Int32Array | undefined;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < -size || v >= size)
      throw new ValueError(`${op}: index ${v} is out of range for an axis of size ${size}`);
    if (v < 0) {
      wrapped ??= data.slice();
      wrapped[i] = v + size;
    }
  }
  return wrapped ? new ConcreteArray(wrapped, idx.shape, 'int32') : idx;
}

/**
 * Gathers entries along `axis` (default 0): the result has shape
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
 * @example jt.take(embeddings, tokenIds, { axis: 0 })
 */
export function take(x: ArrayLike, indices: Indices, options: { axis?: number } = {}): Array {
  const a = asArray(x);
  const axis = normalizeAxis('take', options.axis ?? 0, a.ndim);
  return bind1('gather', [a, toIndexArray('take', indices, a.shape[axis]!)], { axis });
}

/**
 * Picks, for each position, the entry along `axis` given by `indices` (same rank as `x`).
 * @example jt.takeAlongAxis(logp, jt.expandDims(labels, -1), -1)
 */
export function takeAlongAxis(x: ArrayLike, indices: Array, axis: number): Array {
  const a = asArray(x);
  const ax = normalizeAxis('takeAlongAxis', axis, a.ndim);
  if (indices.ndim !== a.ndim) {
    throw new ShapeError(
      `takeAlongAxis: indices ${fmtShape(indices.shape)} must have the rank of x ${fmtShape(a.shape)}`,
    );
  }
  // Flatten all other axes into rows and gather from the 1-D array with row offsets.
  const xm = moveAxis(a, ax, -1);
  const n = xm.shape[xm.ndim - 1]!;
  const im = moveAxis(toIndexArray('takeAlongAxis', indices, n), ax, -1);
  const k = im.shape[im.ndim - 1]!;
  const lead = xm.shape.slice(0, -1);
  const ib = broadcastTo(im, [...lead, k]);
  const rows = sizeOf(lead);
  const offsets = reshape(mul(arange(rows), n), [...lead, 1]);
  const flat = take(ravel(xm), add(ib, offsets));
  return moveAxis(reshape(flat, [...lead, k]), -1, ax);
}

/**
 * One-hot encoding: `labels` of shape S give shape `S + [numClasses]`; out-of-range
 * labels give an all-zero row.
 * @example jt.oneHot(jt.array([0, 2], { dtype: 'int32' }), 3)
 */
export function oneHot(labels: ArrayLike, numClasses: number, options: DTypeOptions = {}): Array {
  if (!Number.isInteger(numClasses) || numClasses < 0)
    throw new ValueError(`oneHot: numClasses must be a non-negative integer, got ${numClasses}`);
  const l = asArray(labels);
  return cast(equal(expandDims(l, -1), arange(numClasses)), options.dtype ?? 'float32');
}

/** Functional updates at positions along axis 0: `at(x, idx).set(v)` returns a new array. */
export interface AtIndex {
  /** The entries at the positions. */
  get(): Array;
  /** A copy of `x` with the positions replaced by `v` (positions must be distinct). */
  set(v: ArrayLike): Array;
  /** A copy of `x` with `v` added at the positions (repeated positions accumulate). */
  add(v: ArrayLike): Array;
}

/**
 * Functional indexed update, as `x.at[idx]` in JAX.
 * @example jt.at(x, 0).set(5); jt.at(x, [1, 3]).add(1)
 */
export function at(x: ArrayLike, index: Indices): AtIndex {
  const a = asArray(x);
  if (a.ndim === 0) throw new ShapeError('at: cannot index a 0-d array');
  const idx = toIndexArray('at', index, a.shape[0]!);
  const scatter = (v: ArrayLike): Array => {
    const upd = broadcastTo(cast(v, a.dtype), [...idx.shape, ...a.shape.slice(1)]);
    return bind1('scatter_add', [upd, idx], { axis: 0, size: a.shape[0]!, shape: a.shape });
  };
  return {
    get: () => take(a, idx, { axis: 0 }),
    add: (v) => add(a, scatter(v)),
    set: (v) => {
      const hit = bind1(
        'scatter_add',
        [broadcastTo(ones([], { dtype: a.dtype }), [...idx.shape, ...a.shape.slice(1)]), idx],
        {
          axis: 0,
          size: a.shape[0]!,
          shape: a.shape,
        },
      );
      return where(equal(hit, 0), a, scatter(v));
    },
  };
}
