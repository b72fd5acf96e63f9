import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { addTangents, type Tangent } from './tangent';

/** `value` placed at `start` along `axis` of an otherwise zero cotangent. */
export interface Piece {
  readonly value: jt.Array;
  readonly axis: number;
  readonly start: number;
}

/**
 * The cotangent contributions reaching one variable of a linear jaxpr, summed only when
 * read. Transposes of unit-stride slices along one axis stay pieces until then: the
 * slices of one array (an LSTM's four gates) come back as one `concatenate` instead of a
 * zero-padded copy each and the adds between them.
 */
export interface CotangentSum {
  readonly dense: Tangent;
  readonly pieces: readonly Piece[];
}

export const emptySum: CotangentSum = { dense: null, pieces: [] };

export const addDense = (sum: CotangentSum, ct: Tangent): CotangentSum =>
  ct === null ? sum : { dense: addTangents(sum.dense, ct), pieces: sum.pieces };

export const addPiece = (sum: CotangentSum, piece: Piece): CotangentSum => ({
  dense: sum.dense,
  pieces: [...sum.pieces, piece],
});

/**
 * The axis a slice keeps only part of, when it has unit strides and keeps every other
 * axis whole (so its transpose is a piece); undefined otherwise.
 */
export function pieceAxis(
  params: jc.PrimitiveParams['slice'],
  shape: jt.Shape,
): number | undefined {
  const { start, limit, strides } = params;
  if (strides.some((s) => s !== 1)) return undefined;
  const partial = shape.map((_, i) => i).filter((i) => start[i] !== 0 || limit[i] !== shape[i]);
  return partial.length === 0 ? 0 : partial.length === 1 ? partial[0] : undefined;
}

/** Zero-pads one piece to the full shape (the general transpose of a slice). */
function padPiece({ value, axis, start }: Piece, shape: jt.Shape): jt.Array {
  const lo = shape.map((_, i) => (i === axis ? start : 0));
  const hi = shape.map((d, i) => (i === axis ? d - start - value.shape[axis]! : 0));
  return jc.bind1('pad', [value], { lo, hi, interior: shape.map(() => 0), value: 0 });
}

/**
 * Pieces along one axis that do not overlap, concatenated with zero blocks in the gaps;
 * undefined when they overlap or lie along different axes.
 */
function concatenatePieces(pieces: readonly Piece[], aval: jt.AbstractValue): jt.Array | undefined {
  const axis = pieces[0]!.axis;
  if (pieces.some((p) => p.axis !== axis)) return undefined;
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const parts: jt.Array[] = [];
  let at = 0;
  const zeros = (size: number) =>
    jt.zeros(
      aval.shape.map((d, i) => (i === axis ? size : d)),
      { dtype: aval.dtype },
    );
  for (const p of sorted) {
    if (p.start < at) return undefined;
    if (p.start > at) parts.push(zeros(p.start - at));
    parts.push(p.value);
    at = p.start + p.value.shape[axis]!;
  }
  if (at < aval.shape[axis]!) parts.push(zeros(aval.shape[axis]! - at));
  return parts.length === 1 ? parts[0]! : jt.concatenate(parts, axis);
}

/** The total cotangent (null when nothing reached the variable). */
export function total(sum: CotangentSum, aval: jt.AbstractValue): Tangent {
  if (sum.pieces.length === 0) return sum.dense;
  const placed =
    concatenatePieces(sum.pieces, aval) ??
    sum.pieces.map((p) => padPiece(p, aval.shape)).reduce((a, b) => jt.add(a, b));
  return addTangents(sum.dense, placed);
}
