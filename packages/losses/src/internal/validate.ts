import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';

/** Predictions and logits must be floating point: gradients of integers mean nothing. */
export function requireFloat(fn: string, what: string, x: jt.Array): void {
  if (!jt.isFloat(x.dtype)) {
    throw new jt.DTypeError(
      `${fn}: ${what} must be float32 or float64, got ${x.dtype}${jt.fmtShape(x.shape)}`,
    );
  }
}

/**
 * Requires equal shapes. Broadcasting is refused on purpose: `[batch, 1]` against
 * `[batch]` silently broadcasting to `[batch, batch]` is a classic silent bug.
 */
export function requireSameShape(
  fn: string,
  aName: string,
  a: jt.Array,
  bName: string,
  b: jt.Array,
): void {
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new jt.ShapeError(
      `${fn}: ${aName} ${jt.fmtShape(a.shape)} and ${bName} ${jt.fmtShape(b.shape)} must have the same shape`,
    );
  }
}

/** Requires at least `rank` axes. */
export function requireRank(fn: string, what: string, x: jt.Array, rank: number): void {
  if (x.ndim < rank) {
    throw new jt.ShapeError(
      `${fn}: ${what} must have at least ${rank} axis, got shape ${jt.fmtShape(x.shape)}`,
    );
  }
}

/**
 * The values of `x` when they can be read: inside a transform (`grad`, `vmap`) an
 * argument may be a tracer, and then value checks are skipped rather than failing.
 */
export const concreteValues = (x: jt.Array): ArrayLike<number> | undefined =>
  x instanceof jc.ConcreteArray ? x.buffer : undefined;

/** Checks that every (readable) value lies in `[lo, hi]` (NaN fails). */
export function requireInRange(
  fn: string,
  what: string,
  x: jt.Array,
  lo: number,
  hi: number,
): void {
  const v = concreteValues(x);
  if (v === undefined) return;
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    if (!(e >= lo && e <= hi)) {
      throw new jt.ValueError(
        `${fn}: ${what} must lie in [${lo}, ${hi}], got ${e} at flat index ${i} of shape ${jt.fmtShape(x.shape)}`,
      );
    }
  }
}

/**
 * Averages over the last axis of a rank ≥ 2 array; a rank-1 (or 0) array already holds
 * one value per example and is returned unchanged.
 */
export const meanLastAxis = (x: jt.Array): jt.Array => (x.ndim >= 2 ? jt.mean(x, { axis: -1 }) : x);

/** Targets as the predictions' dtype (integer or boolean targets are allowed). */
export const castLike = (targets: jt.Array, like: jt.Array): jt.Array =>
  jt.cast(targets, like.dtype);
