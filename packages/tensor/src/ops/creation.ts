import { Array, type ArrayLike, ConcreteArray, type NestedArrayLike } from '../core/array';
import {
  allocate,
  checkDType,
  type DType,
  dtypeOfTypedArray,
  promoteTypes,
  promoteWithScalar,
  scalarDType,
  type TypedArray,
} from '../core/dtype';
import { DTypeError, fmtShape, ShapeError, ValueError } from '../core/errors';
import type { AbstractValue } from '../core/primitives';
import { checkShape, checkSize, type Shape, shapesEqual, sizeOf } from '../core/shape';
import { bind1 } from '../core/trace';

/** An array, or what ops accept in its place: numbers, booleans, typed and nested JS arrays. */
export type { ArrayLike, NestedArrayLike };

/** Nested JS arrays of numbers or booleans. */
export type NestedArray = number | boolean | readonly NestedArray[];

export interface DTypeOptions {
  dtype?: DType;
}

const fromBuffer = (buffer: TypedArray, shape: Shape, dtype: DType): Array =>
  new ConcreteArray(buffer, shape, dtype);

/** How a value that is not array-like reads in an error message. */
function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 20))}`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return Object.prototype.toString.call(v);
  return `${typeof v} ${String(v)}`;
}

const isScalarValue = (v: unknown): v is number | boolean =>
  typeof v === 'number' || typeof v === 'boolean';

/** Whether a nested list holds a `jt.Array` anywhere (then it is stacked, not copied). */
function holdsArray(v: unknown): boolean {
  if (v instanceof Array) return true;
  return globalThis.Array.isArray(v) && v.some(holdsArray);
}

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

function flattenNested(op: string, data: NestedArray, shape: Shape, out: TypedArray): void {
  let k = 0;
  const walk = (v: NestedArray, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (globalThis.Array.isArray(v))
        throw new ShapeError(`${op}: ragged nested array (too deep at ${path || 'the top'})`);
      if (!isScalarValue(v)) {
        throw new DTypeError(
          `${op}: expected numbers or booleans, got ${describe(v)}${path ? ` at ${path}` : ''}`,
        );
      }
      out[k++] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      return;
    }
    if (!globalThis.Array.isArray(v) || v.length !== shape[axis]) {
      throw new ShapeError(
        `${op}: ragged nested array: expected length ${shape[axis]} at depth ${axis}`,
      );
    }
    (v as readonly NestedArray[]).forEach((e, i) => {
      walk(e, axis + 1, `${path}[${i}]`);
    });
  };
  walk(data, 0, '');
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
 * The dtype a weakly typed value (a number, a boolean, or nested lists of them) takes
 * next to an array of dtype `d`: every element promotes as a JS number does.
 */
export function weakDType(d: DType, v: NestedArray): DType {
  if (!globalThis.Array.isArray(v)) return isScalarValue(v) ? promoteWithScalar(d, v) : d;
  let out = d;
  for (const e of v as readonly NestedArray[]) out = weakDType(out, e);
  return out;
}

/** Whether `x` is weakly typed: a JS number or boolean, or nested lists of only those. */
export function isWeak(x: unknown): x is NestedArray {
  return isScalarValue(x) || (globalThis.Array.isArray(x) && !holdsArray(x));
}

/** Nested lists holding `jt.Array`s (and numbers) of one shape, stacked along new axes. */
function stackNested(op: string, data: NestedArrayLike, dtype: DType | undefined): Array {
  let dt: DType | undefined;
  const strong = (v: unknown): void => {
    if (v instanceof Array) dt = dt === undefined ? v.dtype : promoteTypes(dt, v.dtype);
    else if (globalThis.Array.isArray(v)) v.forEach(strong);
  };
  strong(data);
  const target = dtype ?? weakDType(dt!, data as NestedArray);
  const build = (v: unknown, path: string): Array => {
    if (v instanceof Array) return v.dtype === target ? v : bind1('cast', [v], { dtype: target });
    if (isScalarValue(v)) return scalar(v, target);
    if (!globalThis.Array.isArray(v)) {
      throw new DTypeError(
        `${op}: expected numbers, booleans or arrays, got ${describe(v)} at ${path || 'the top'}`,
      );
    }
    const parts = v.map((e, i) => build(e, `${path}[${i}]`));
    const shape = parts[0]?.shape ?? [];
    for (const q of parts) {
      if (q.shape.length !== shape.length || q.shape.some((d, i) => d !== shape[i])) {
        throw new ShapeError(
          `${op}: cannot stack arrays of shapes ${fmtShape(shape)} and ${fmtShape(q.shape)}${path ? ` at ${path}` : ''}`,
        );
      }
    }
    const rows = parts.map((q) => bind1('reshape', [q], { shape: [1, ...shape] }));
    return rows.length === 1 ? rows[0]! : bind1('concatenate', rows, { axis: 0 });
  };
  return build(data, '');
}

/**
 * Makes an array from nested JS arrays, a typed array or a scalar. JS numbers become
 * float32 unless `dtype` says otherwise; typed arrays keep their dtype. Nested lists
 * of arrays of one shape are stacked (`jt.array([x, y])` has shape `[2, ...x.shape]`).
 * Anything else (a string, `undefined`, an object) is a `DTypeError`.
 * @example
 * const x = jt.array([[1, 2], [3, 4]]);              // float32 [2,2]
 * const y = jt.array([1, 2], { dtype: 'int32' });
 * const z = jt.array(new Float32Array(6), { shape: [2, 3] });
 */
export function array(
  data: ArrayLike,
  options: DTypeOptions & { shape?: Shape } = {},
  op = 'array',
): Array {
  if (options.dtype !== undefined) checkDType(op, options.dtype);
  // A fresh buffer takes the shape as it is; a given array (maybe traced) is reshaped.
  const reshaped = (a: Array, fresh = true): Array => {
    if (!options.shape) return a;
    const shape = checkShape(op, options.shape);
    if (sizeOf(shape) !== a.size) {
      throw new ShapeError(`${op}: ${a.size} elements do not fill shape ${fmtShape(shape)}`);
    }
    if (shapesEqual(shape, a.shape)) return a;
    return fresh && a instanceof ConcreteArray
      ? fromBuffer(a.buffer, shape, a.dtype)
      : bind1('reshape', [a], { shape });
  };
  if (data instanceof Array) {
    const dtype = options.dtype;
    return reshaped(dtype && dtype !== data.dtype ? bind1('cast', [data], { dtype }) : data, false);
  }
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray;
    const own = dtypeOfTypedArray(typed, op);
    const dtype = options.dtype ?? own;
    const buf = allocate(dtype, typed.length);
    buf.set(typed);
    return reshaped(fromBuffer(buf, [typed.length], dtype));
  }
  if (!isScalarValue(data) && !globalThis.Array.isArray(data)) {
    throw new DTypeError(
      `${op}: expected nested JS arrays of numbers or booleans, a typed array or a jt.Array, got ${describe(data)}`,
    );
  }
  if (holdsArray(data)) {
    return reshaped(stackNested(op, data as NestedArrayLike, options.dtype), false);
  }
  const nested = data as NestedArray;
  const shape = inferShape(nested);
  checkSize(op, sizeOf(shape), shape);
  const leaf = firstLeaf(nested);
  const dtype = options.dtype ?? (isScalarValue(leaf) ? scalarDType(leaf) : 'float32');
  const buf = allocate(dtype, sizeOf(shape));
  flattenNested(op, nested, shape, buf);
  return reshaped(fromBuffer(buf, shape, dtype));
}

/** A JS scalar as a 0-d array of the given dtype. */
export function scalar(value: number | boolean, dtype: DType = scalarDType(value)): Array {
  const buf = allocate(dtype, 1);
  buf[0] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return fromBuffer(buf, [], dtype);
}

/**
 * Converts an `ArrayLike` to an array (numbers as float32, booleans as bool, or `dtype`;
 * nested and typed JS arrays as `jt.array` makes them). `op` names the caller in errors.
 */
export function asArray(x: ArrayLike, dtype?: DType, op = 'asArray'): Array {
  if (x instanceof Array) return x;
  if (typeof x === 'number' || typeof x === 'boolean') return scalar(x, dtype);
  return array(x, dtype ? { dtype } : {}, op);
}

/**
 * An array of `shape` filled with `value`.
 * @example jt.full([2, 3], 7, { dtype: 'int32' })
 */
export function full(shape: Shape, value: number | boolean, options: DTypeOptions = {}): Array {
  return filled('full', shape, value, options.dtype);
}

function filled(op: string, shape: Shape, value: number | boolean, dtype?: DType): Array {
  const dt = dtype ? checkDType(op, dtype) : scalarDType(value);
  if (!isScalarValue(value)) {
    throw new DTypeError(
      `${op}: the fill value must be a number or a boolean, got ${describe(value)}`,
    );
  }
  const s = checkShape(op, shape);
  const buf = allocate(dt, sizeOf(s));
  buf.fill(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  return fromBuffer(buf, s, dt);
}

/** @example jt.zeros([2, 3]) */
export const zeros = (shape: Shape, options: DTypeOptions = {}): Array =>
  filled('zeros', shape, 0, options.dtype ?? 'float32');
/** @example jt.ones([3], { dtype: 'int32' }) */
export const ones = (shape: Shape, options: DTypeOptions = {}): Array =>
  filled('ones', shape, 1, options.dtype ?? 'float32');
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
  if (!Number.isFinite(n)) throw new ValueError(`arange: bounds must be finite, got ${lo}, ${hi}`);
  checkSize('arange', n, [n]);
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
  checkSize('linspace', num, [num]);
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
  const shape = checkShape('eye', [n, m]);
  const buf = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) buf[i * m + i] = 1;
  return fromBuffer(buf, shape, dtype);
}
