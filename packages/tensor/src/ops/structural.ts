import type { Array } from '../core/array';
import { promoteTypes } from '../core/dtype';
import { fmtShape, ShapeError, ValueError } from '../core/errors';
import { normalizeAxes, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../core/shape';
import { bind1 } from '../core/trace';
import { type ArrayLike, arange, asArray } from './creation';
import { broadcastTo, cast } from './elementwise';

/**
 * Gives `x` a new shape with the same elements; one axis may be -1 (inferred).
 * @example jt.reshape(jt.arange(6), [2, -1]) // [2,3]
 */
export function reshape(x: ArrayLike, shape: Shape): Array {
  const a = asArray(x);
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: invalid target shape ${fmtShape(shape)}`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : a.size / known) : d));
  if (sizeOf(out) !== a.size || out.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(
      `reshape: cannot reshape ${fmtShape(a.shape)} (${a.size} elements) to ${fmtShape(shape)}`,
    );
  }
  return shapesEqual(out, a.shape) ? a : bind1('reshape', [a], { shape: out });
}

/**
 * Permutes axes (default: reverses them).
 * @example jt.transpose(x, [1, 0, 2])
 */
export function transpose(x: ArrayLike, perm?: readonly number[]): Array {
  const a = asArray(x);
  const p = perm
    ? perm.map((ax) => normalizeAxis('transpose', ax, a.ndim))
    : [...a.shape.keys()].reverse();
  if (p.length !== a.ndim || new Set(p).size !== p.length) {
    throw new ShapeError(
      `transpose: [${perm?.join(',')}] is not a permutation of the axes of ${fmtShape(a.shape)}`,
    );
  }
  return p.every((v, i) => v === i) ? a : bind1('transpose', [a], { perm: p });
}

/** @example jt.swapAxes(x, 0, -1) */
export function swapAxes(x: ArrayLike, axis1: number, axis2: number): Array {
  const a = asArray(x);
  const perm = [...a.shape.keys()];
  const [i, j] = [
    normalizeAxis('swapAxes', axis1, a.ndim),
    normalizeAxis('swapAxes', axis2, a.ndim),
  ];
  [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  return transpose(a, perm);
}

/** Moves axis `source` to position `destination`. @example jt.moveAxis(x, 0, -1) */
export function moveAxis(x: ArrayLike, source: number, destination: number): Array {
  const a = asArray(x);
  const s = normalizeAxis('moveAxis', source, a.ndim);
  const d = normalizeAxis('moveAxis', destination, a.ndim);
  const perm = [...a.shape.keys()].filter((i) => i !== s);
  perm.splice(d, 0, s);
  return transpose(a, perm);
}

/** Inserts a size-1 axis at `axis` (negative counts from the end of the result). @example jt.expandDims(x, 0) */
export function expandDims(x: ArrayLike, axis: number): Array {
  const a = asArray(x);
  const ax = normalizeAxis('expandDims', axis, a.ndim + 1);
  const shape = [...a.shape];
  shape.splice(ax, 0, 1);
  return reshape(a, shape);
}

/** Removes size-1 axes (all of them, or the given ones). @example jt.squeeze(x, 0) */
export function squeeze(x: ArrayLike, axis?: number | readonly number[]): Array {
  const a = asArray(x);
  const axes =
    axis === undefined
      ? a.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes('squeeze', axis, a.ndim);
  for (const ax of axes) {
    if (a.shape[ax] !== 1)
      throw new ShapeError(
        `squeeze: axis ${ax} of ${fmtShape(a.shape)} has size ${a.shape[ax]}, not 1`,
      );
  }
  return reshape(
    a,
    a.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Flattens to 1-D. @example jt.ravel(x) */
export const ravel = (x: ArrayLike): Array => reshape(x, [-1]);

/**
 * Joins arrays along an existing axis; dtypes promote.
 * @example jt.concatenate([a, b], 0)
 */
export function concatenate(xs: readonly ArrayLike[], axis = 0): Array {
  if (xs.length === 0) throw new ValueError('concatenate: needs at least one array');
  const arrays = xs.map((x) => asArray(x));
  const first = arrays[0]!;
  if (first.ndim === 0)
    throw new ShapeError('concatenate: cannot concatenate 0-d arrays (use stack)');
  const ax = normalizeAxis('concatenate', axis, first.ndim);
  for (const a of arrays) {
    if (a.ndim !== first.ndim || a.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(
        `concatenate: shapes ${arrays.map((b) => fmtShape(b.shape)).join(', ')} differ outside axis ${ax}`,
      );
    }
  }
  if (arrays.length === 1) return first;
  const dtype = arrays.map((a) => a.dtype).reduce(promoteTypes);
  return bind1(
    'concatenate',
    arrays.map((a) => cast(a, dtype)),
    { axis: ax },
  );
}

/** Joins arrays along a new axis. @example jt.stack([a, b], 0) */
export function stack(xs: readonly ArrayLike[], axis = 0): Array {
  if (xs.length === 0) throw new ValueError('stack: needs at least one array');
  const arrays = xs.map((x) => asArray(x));
  const shape = arrays[0]!.shape;
  for (const a of arrays) {
    if (!shapesEqual(a.shape, shape)) {
      throw new ShapeError(
        `stack: all shapes must be equal, got ${arrays.map((b) => fmtShape(b.shape)).join(', ')}`,
      );
    }
  }
  const ax = normalizeAxis('stack', axis, shape.length + 1);
  return concatenate(
    arrays.map((a) => expandDims(a, ax)),
    ax,
  );
}

/** Internal: stacks along a new leading axis (used by scan). */
export const stackAxis0 = (xs: readonly Array[]): Array => stack(xs, 0);

/**
 * Slices with per-axis `begin`, `end` (exclusive) and positive `strides`; negative
 * indices count from the end and bounds are clipped, as in Python.
 * @example jt.slice(x, [0, 1], [2, 3]) // x[0:2, 1:3]
 */
export function slice(
  x: ArrayLike,
  begin: readonly number[],
  end?: readonly (number | null)[],
  strides?: readonly number[],
): Array {
  const a = asArray(x);
  if (begin.length > a.ndim)
    throw new ShapeError(`slice: ${begin.length} indices for an array of rank ${a.ndim}`);
  const start: number[] = [];
  const limit: number[] = [];
  const step: number[] = [];
  for (let i = 0; i < a.ndim; i++) {
    const n = a.shape[i]!;
    const st = strides?.[i] ?? 1;
    if (!Number.isInteger(st) || st < 1)
      throw new ValueError(`slice: strides must be positive integers, got ${st}`);
    const norm = (v: number) => Math.min(n, Math.max(0, v < 0 ? v + n : v));
    const b = norm(begin[i] ?? 0);
    const e = Math.max(b, norm(end?.[i] ?? n));
    start.push(b);
    limit.push(e);
    step.push(st);
  }
  if (
    start.every((s) => s === 0) &&
    limit.every((l, i) => l === a.shape[i]) &&
    step.every((s) => s === 1)
  )
    return a;
  return bind1('slice', [a], { start, limit, strides: step });
}

/** Internal: `x[t]` along axis 0. */
export function indexAxis0(x: Array, t: number): Array {
  const begin = x.shape.map((_, i) => (i === 0 ? t : 0));
  const end = x.shape.map((d, i) => (i === 0 ? t + 1 : d));
  return reshape(slice(x, begin, end), x.shape.slice(1));
}

/**
 * Splits into equal `sections`, or at the given `indices`, along `axis`.
 * @example const [a, b] = jt.split(x, 2, 0);
 */
export function split(
  x: ArrayLike,
  sectionsOrIndices: number | readonly number[],
  axis = 0,
): Array[] {
  const a = asArray(x);
  const ax = normalizeAxis('split', axis, a.ndim);
  const n = a.shape[ax]!;
  let cuts: number[];
  if (typeof sectionsOrIndices === 'number') {
    if (
      !Number.isInteger(sectionsOrIndices) ||
      sectionsOrIndices < 1 ||
      n % sectionsOrIndices !== 0
    ) {
      throw new ShapeError(
        `split: axis ${ax} of size ${n} does not split into ${sectionsOrIndices} equal sections`,
      );
    }
    const size = n / sectionsOrIndices;
    cuts = [...globalThis.Array(sectionsOrIndices - 1).keys()].map((i) => (i + 1) * size);
  } else cuts = [...sectionsOrIndices];
  const bounds = [0, ...cuts, n];
  return bounds.slice(1).map((e, i) => {
    const begin = a.shape.map((_, j) => (j === ax ? bounds[i]! : 0));
    const end = a.shape.map((d, j) => (j === ax ? e : d));
    return slice(a, begin, end);
  });
}

/**
 * Pads with a constant: `widths` is `[[lo, hi], ...]` per axis or one number for all.
 * @example jt.pad(x, [[1, 1], [2, 2]])
 */
export function pad(
  x: ArrayLike,
  widths: number | readonly (readonly [number, number])[],
  options: { value?: number } = {},
): Array {
  const a = asArray(x);
  const w = typeof widths === 'number' ? a.shape.map(() => [widths, widths] as const) : widths;
  if (
    w.length !== a.ndim ||
    w.some(([l, h]) => !(Number.isInteger(l) && Number.isInteger(h) && l >= 0 && h >= 0))
  ) {
    throw new ShapeError(
      `pad: widths must be ${a.ndim} non-negative [lo, hi] pairs for ${fmtShape(a.shape)}`,
    );
  }
  return bind1('pad', [a], {
    lo: w.map(([l]) => l),
    hi: w.map(([, h]) => h),
    interior: w.map(() => 0),
    value: options.value ?? 0,
  });
}

/** Reverses the order of elements along the given axes (default: all). @example jt.flip(x, 0) */
export function flip(x: ArrayLike, axis?: number | readonly number[]): Array {
  let a = asArray(x);
  for (const ax of normalizeAxes('flip', axis, a.ndim)) {
    const n = a.shape[ax]!;
    a = bind1('gather', [a, arange(n - 1, -1, -1)], { axis: ax });
  }
  return a;
}

/** Repeats the whole array `reps` times along each axis. @example jt.tile(x, [2, 1]) */
export function tile(x: ArrayLike, reps: number | readonly number[]): Array {
  let a = asArray(x);
  const r = typeof reps === 'number' ? [reps] : [...reps];
  while (a.ndim < r.length) a = expandDims(a, 0);
  while (r.length < a.ndim) r.unshift(1);
  // Broadcast a new axis before each axis, then merge pairs.
  const interleaved = a.shape.flatMap((d) => [1, d]);
  const target = a.shape.flatMap((d, i) => [r[i]!, d]);
  return reshape(
    broadcastTo(reshape(a, interleaved), target),
    a.shape.map((d, i) => d * r[i]!),
  );
}

/** Repeats each element `repeats` times along `axis` (default: flattened). @example jt.repeat(x, 2, { axis: 0 }) */
export function repeat(x: ArrayLike, repeats: number, options: { axis?: number } = {}): Array {
  let a = asArray(x);
  if (options.axis === undefined) a = ravel(a);
  const ax = normalizeAxis('repeat', options.axis ?? 0, a.ndim);
  const expanded = expandDims(a, ax + 1);
  const target = [...expanded.shape];
  target[ax + 1] = repeats;
  const shape = [...a.shape];
  shape[ax] = a.shape[ax]! * repeats;
  return reshape(broadcastTo(expanded, target), shape);
}
