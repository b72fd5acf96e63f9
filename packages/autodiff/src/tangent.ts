import * as jt from '@jute/tensor';

/** A tangent or cotangent; `null` is a symbolic zero that costs nothing to carry. */
export type Tangent = jt.Array | null;

export const addTangents = (a: Tangent, b: Tangent): Tangent =>
  a === null ? b : b === null ? a : jt.add(a, b);

/** Materializes a symbolic zero with the shape and dtype of `like`. */
export const instantiate = (t: Tangent, like: { shape: jt.Shape; dtype: jt.DType }): jt.Array =>
  t ?? jt.zeros(like.shape, { dtype: like.dtype });

export const mapTangent = (t: Tangent, f: (t: jt.Array) => jt.Array): Tangent =>
  t === null ? null : f(t);
