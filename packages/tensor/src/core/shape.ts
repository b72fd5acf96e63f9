import { fmtShape, ShapeError, ValueError } from './errors';

/** A shape: the length of each axis. */
export type Shape = readonly number[];

export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export const shapesEqual = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** NumPy broadcasting of two shapes; throws naming the op when they do not fit. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a possibly negative axis against a rank. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for an array of rank ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Resolves `axis` options (undefined = all axes) to a sorted list without repeats. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined | null,
  ndim: number,
): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(out).size !== out.length)
    throw new ShapeError(`${op}: repeated axis in [${list.join(',')}]`);
  return out.sort((x, y) => x - y);
}

/**
 * Most elements an array may hold: kernels index with 32-bit integers and a WebAssembly
 * memory ends at 4 GiB, so larger arrays could not be computed on anyway.
 */
export const MAX_SIZE = 2 ** 31 - 1;

/** Throws a `ShapeError` naming `op` when `size` elements are more than an array holds. */
export function checkSize(op: string, size: number, shape?: Shape): void {
  if (size > MAX_SIZE) {
    const what = shape ? `shape ${fmtShape(shape)} has` : 'the result would have';
    // The exact count (a float product rounds past 2^53).
    const exact = shape ? shape.reduce((a, d) => a * BigInt(d), 1n) : BigInt(Math.round(size));
    throw new ShapeError(
      `${op}: ${what} ${exact} elements; an array holds at most ${MAX_SIZE} (2^31 - 1)`,
    );
  }
}

/**
 * A user's shape as a fresh list: every axis a non-negative integer (a `ValueError`
 * otherwise), and the size within `MAX_SIZE` (a `ShapeError` that says the size).
 */
export function checkShape(op: string, shape: Shape): number[] {
  if (!globalThis.Array.isArray(shape)) {
    throw new ValueError(`${op}: a shape is a list of axis lengths, got ${String(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ValueError(`${op}: invalid shape ${fmtShape(shape)}`);
  }
  checkSize(op, sizeOf(shape), shape);
  return [...shape];
}
