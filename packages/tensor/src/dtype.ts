import { DTypeError } from './errors';

/** The element types Jute arrays hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that stores each dtype (`bool` as 0/1 bytes). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** Promotion order: JAX's lattice restricted to Jute's dtypes is a chain. */
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';
export const isInt = (d: DType): boolean => d === 'int32';

/** The dtype two arrays promote to (JAX rules: bool < int32 < float32 < float64). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The dtype an array of dtype `d` combined with a JS number takes. JS numbers are weakly
 * typed: they never widen an array's dtype, except that a non-integer number lifts
 * integers and booleans to float32, and any number lifts bool to int32.
 */
export function promoteWithScalar(d: DType, value: number | boolean): DType {
  if (typeof value === 'boolean') return d;
  if (isFloat(d)) return d;
  if (!Number.isInteger(value)) return 'float32';
  return d === 'bool' ? 'int32' : d;
}

/** The dtype a JS value gets when it becomes an array on its own. */
export const scalarDType = (value: number | boolean): DType =>
  typeof value === 'boolean' ? 'bool' : 'float32';

export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The dtype a typed array stores. */
export function dtypeOfTypedArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  throw new DTypeError('array: unsupported typed array');
}

export function checkDType(op: string, dtype: string): DType {
  if ((DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new DTypeError(`${op}: unknown dtype '${dtype}' (expected one of ${DTYPES.join(', ')})`);
}
