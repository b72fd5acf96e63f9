import { Array, type ArrayLike, ConcreteArray } from '../core/array';
import {
  allocate,
  checkDType,
  type DType,
  dtypeOfTypedArray,
  scalarDType,
  type TypedArray,
} from '../core/dtype';
import { DTypeError, fmtShape, ShapeError, ValueError } from '../core/errors';
import type { AbstractValue } from '../core/primitives';
import { checkShape, type Shape, sizeOf } from '../core/shape';
import { bind1 } from '../core/trace';

/** An array, or a JS number/boolean that ops accept in its place (weakly typed). */
export type { ArrayLike };

/** Nested JS arrays of numbers or booleans. */
export type NestedArray = number | boolean | readonly NestedArray[];

export interface DTypeOptions {
  dtype?: DType;
}

const fromBuffer = (buffer: TypedArray, shape: Shape, dtype: DType): Array =>
  new ConcreteArray(buffer, shape, dtype);

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (globalThis.Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flattenNested(data: NestedArray, shape: Shape, out: TypedArray): void {
  let k = 0;
  const walk = (v: NestedArray, axis: number): void => {
    if (axis === shape.length) {
      if (globalThis.Array.isArray(v))
        throw new ShapeError('array: ragged nested array (too deep)');
      out[k++] = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number);
      return;
    }
    if (!globalThis.Array.isArray(v) || v.length !== shape[axis]) {
      throw new ShapeError(
        `array: ragged nested array: expected length ${shape[axis]} at depth ${axis}`,
      );
    }
    for (const e of v as readonly NestedArray[]) walk(e, axis + 1);
  };
  walk(data, 0);
}

function firstLeaf(data: NestedArray): number | boolean | undefined {
  let cur: NestedArray = data;
  while (globalThis.Array.isArray(cur)) {
    if (cur.length === 0) return undefined;
    cur = cur[0]!;
  }
  return cur as number | boolean;
}

/**
 * Makes an array from nested JS arrays, a typed array or a scalar. JS numbers become
 * float32 unless `dtype` says otherwise; typed arrays keep their dtype.
 * @example
 * const x = jt.array([[1, 2], [3, 4]]);              // float32 [2,2]
 * const y = jt.array([1, 2], { dtype: 'int32' });
 * const z = jt.array(new Float32Array(6), { shape: [2, 3] });
 */
export function array(
  data: NestedArray | TypedArray | Array,
  options: DTypeOptions & { shape?: Shape } = {},
): Array {
  if (data instanceof Array) {
    const dtype = options.dtype;
    return dtype && dtype !== data.dtype ? bind1('cast', [data], { dtype }) : data;
  }
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray;
    const shape = options.shape ? checkShape('array', options.shape) : [typed.length];
    if (sizeOf(shape) !== typed.length) {
      throw new ShapeError(`array: ${typed.length} elements do not fill shape ${fmtShape(shape)}`);
    }
    const own = dtypeOfTypedArray(typed);
    const dtype = options.dtype ? checkDType('array', options.dtype) : own;
    const buf = allocate(dtype, typed.length);
    buf.set(typed);
    return fromBuffer(buf, shape, dtype);
  }
  const shape = inferShape(data);
  const leaf = firstLeaf(data);
  const dtype = options.dtype
    ? checkDType('array', options.dtype)
    : leaf === undefined
      ? 'float32'
      : scalarDType(leaf);
  const buf = allocate(dtype, sizeOf(shape));
  flattenNested(data, shape, buf);
  const arr = fromBuffer(buf, shape, dtype);
  if (options.shape) {
    if (sizeOf(options.shape) !== buf.length)
      throw new ShapeError(
        `array: ${buf.length} elements do not fill shape ${fmtShape(options.shape)}`,
      );
    return fromBuffer(buf, [...options.shape], dtype);
  }
  return arr;
}

/** A JS scalar as a 0-d array of the given dtype. */
export function scalar(value: number | boolean, dtype: DType = scalarDType(value)): Array {
  const buf = allocate(dtype, 1);
  buf[0] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return fromBuffer(buf, [], dtype);
}

/** Converts an `ArrayLike` to an array (numbers as float32, booleans as bool, or `dtype`). */
export function asArray(x: ArrayLike, dtype?: DType): Array {
  if (x instanceof Array) return x;
  if (typeof x === 'number' || typeof x === 'boolean') return scalar(x, dtype);
  // Untyped callers can pass anything: a typed or nested array would otherwise become a
  // meaningless scalar.
  if (ArrayBuffer.isView(x) || globalThis.Array.isArray(x))
    return array(x as never, dtype ? { dtype } : {});
  throw new DTypeError(
    `expected an array, a number or a boolean, got ${Object.prototype.toString.call(x)}`,
  );
}

/**
 * An array of `shape` filled with `value`.
 * @example jt.full([2, 3], 7, { dtype: 'int32' })
 */
export function full(shape: Shape, value: number | boolean, options: DTypeOptions = {}): Array {
  const dtype = options.dtype ? checkDType('full', options.dtype) : scalarDType(value);
  const s = checkShape('full', shape);
  const buf = allocate(dtype, sizeOf(s));
  buf.fill(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  return fromBuffer(buf, s, dtype);
}

/** @example jt.zeros([2, 3]) */
export const zeros = (shape: Shape, options: DTypeOptions = {}): Array =>
  full(shape, 0, { dtype: options.dtype ?? 'float32' });
/** @example jt.ones([3], { dtype: 'int32' }) */
export const ones = (shape: Shape, options: DTypeOptions = {}): Array =>
  full(shape, 1, { dtype: options.dtype ?? 'float32' });
/** Zeros with the shape and dtype of `x`. @example jt.zerosLike(x) */
export const zerosLike = (x: Array | AbstractValue, options: DTypeOptions = {}): Array =>
  full(x.shape, 0, { dtype: options.dtype ?? x.dtype });
/** Ones with the shape and dtype of `x`. @example jt.onesLike(x) */
export const onesLike = (x: Array | AbstractValue, options: DTypeOptions = {}): Array =>
  full(x.shape, 1, { dtype: options.dtype ?? x.dtype });
/** Zeros for an abstract value. */
export const zerosAval = (aval: AbstractValue): Array => full(aval.shape, 0, { dtype: aval.dtype });

/**
 * Evenly spaced values in `[start, stop)`. Integer arguments give int32, as in NumPy.
 * @example jt.arange(5) // [0, 1, 2, 3, 4] int32
 */
export function arange(start: number, stop?: number, step = 1, options: DTypeOptions = {}): Array {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step))
    throw new ValueError(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const dtype = options.dtype ?? ([lo, hi, step].every(Number.isInteger) ? 'int32' : 'float32');
  const buf = allocate(dtype, n);
  for (let i = 0; i < n; i++) buf[i] = lo + i * step;
  return fromBuffer(buf, [n], dtype);
}

/**
 * `num` evenly spaced values from `start` to `stop` inclusive.
 * @example jt.linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(
  start: number,
  stop: number,
  num: number,
  options: DTypeOptions = {},
): Array {
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  const dtype = options.dtype ?? 'float32';
  const buf = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) buf[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return fromBuffer(buf, [num], dtype);
}

/**
 * An `n×m` matrix with ones on the diagonal.
 * @example jt.eye(3)
 */
export function eye(n: number, m = n, options: DTypeOptions = {}): Array {
  const dtype = options.dtype ?? 'float32';
  const buf = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) buf[i * m + i] = 1;
  return fromBuffer(buf, checkShape('eye', [n, m]), dtype);
}
