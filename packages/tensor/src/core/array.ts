import type { DType, TypedArray } from './dtype';
import { DeletedArrayError, fmtShape, JuteError, TraceError } from './errors';
import { formatArray, toNested } from './format';
import { type Shape, sizeOf } from './shape';

/**
 * What the op library accepts where it expects an array, as NumPy does: an `Array`, a JS
 * number or boolean, a typed array (`Float32Array`, `Float64Array`, `Int32Array`, or
 * `Uint8Array` for bool), or nested JS arrays of these (`[1, 2]`, `[[1, 2], [3, 4]]`,
 * `[x, y]` with arrays `x`, `y` of one shape, which are stacked). Numbers, booleans and
 * nested lists of them are weakly typed: combined with an array they take its dtype
 * (`jt.add(int32Array, [1, 2])` is int32), as JAX treats a JS number.
 */
export type ArrayLike = Array | number | boolean | TypedArray | NestedArrayLike;

/** Nested JS arrays whose leaves are numbers, booleans or arrays of one shape. */
export type NestedArrayLike = readonly (number | boolean | Array | NestedArrayLike)[];

/** Options of reductions (`sum`, `mean`, `max` ...). */
export interface ReduceOptions {
  /** Axes to reduce (negative counts from the end); all axes when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes with size 1 so the result broadcasts against the input. */
  keepdims?: boolean;
}

/**
 * The op-library functions behind `Array`'s methods. The core cannot import the op
 * library (it sits above the core), so the package entry hands them over once, at load,
 * through `useArrayMethods`.
 */
export interface ArrayMethods {
  add(x: Array, y: ArrayLike): Array;
  sub(x: Array, y: ArrayLike): Array;
  mul(x: Array, y: ArrayLike): Array;
  div(x: Array, y: ArrayLike): Array;
  pow(x: Array, y: ArrayLike): Array;
  maximum(x: Array, y: ArrayLike): Array;
  minimum(x: Array, y: ArrayLike): Array;
  neg(x: Array): Array;
  abs(x: Array): Array;
  exp(x: Array): Array;
  log(x: Array): Array;
  sqrt(x: Array): Array;
  square(x: Array): Array;
  tanh(x: Array): Array;
  sigmoid(x: Array): Array;
  relu(x: Array): Array;
  clip(x: Array, lo: ArrayLike, hi: ArrayLike): Array;
  equal(x: Array, y: ArrayLike): Array;
  notEqual(x: Array, y: ArrayLike): Array;
  less(x: Array, y: ArrayLike): Array;
  lessEqual(x: Array, y: ArrayLike): Array;
  greater(x: Array, y: ArrayLike): Array;
  greaterEqual(x: Array, y: ArrayLike): Array;
  cast(x: Array, dtype: DType): Array;
  sum(x: Array, options?: ReduceOptions): Array;
  mean(x: Array, options?: ReduceOptions): Array;
  max(x: Array, options?: ReduceOptions): Array;
  min(x: Array, options?: ReduceOptions): Array;
  prod(x: Array, options?: ReduceOptions): Array;
  variance(x: Array, options?: ReduceOptions & { ddof?: number }): Array;
  std(x: Array, options?: ReduceOptions & { ddof?: number }): Array;
  logsumexp(x: Array, options?: ReduceOptions): Array;
  argmax(x: Array, options?: { axis?: number; keepdims?: boolean }): Array;
  argmin(x: Array, options?: { axis?: number; keepdims?: boolean }): Array;
  reshape(x: Array, shape: Shape): Array;
  transpose(x: Array, perm?: readonly number[]): Array;
  swapAxes(x: Array, a: number, b: number): Array;
  expandDims(x: Array, axis: number): Array;
  squeeze(x: Array, axis?: number | readonly number[]): Array;
  ravel(x: Array): Array;
  broadcastTo(x: Array, shape: Shape): Array;
  slice(
    x: Array,
    begin: readonly number[],
    end?: readonly (number | null)[],
    strides?: readonly number[],
  ): Array;
  take(x: Array, indices: Array | number | readonly number[], options?: { axis?: number }): Array;
  matmul(x: Array, y: ArrayLike): Array;
  dot(x: Array, y: ArrayLike): Array;
}

let methods: ArrayMethods | undefined;

/** Installs the op library behind `Array`'s methods (called once by the package entry). */
export function useArrayMethods(m: ArrayMethods): void {
  methods = m;
}

function ops(): ArrayMethods {
  if (methods === undefined) {
    throw new JuteError(
      'array methods are not installed: import @jute/tensor (its entry installs the op library)',
    );
  }
  return methods;
}

/**
 * An immutable n-dimensional array. Users only ever see this type: concrete arrays hold
 * data; inside a transform the same methods run on tracers, which record or transform
 * every op through `bind`.
 */
export abstract class Array {
  abstract readonly shape: Shape;
  abstract readonly dtype: DType;

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  /** A fresh copy of the elements in row-major order. */
  abstract data(): TypedArray;

  /**
   * Whether the array was donated to a jitted call (`donateArgnums`), after which its
   * values cannot be read (JAX's `is_deleted`).
   */
  isDeleted(): boolean {
    return false;
  }

  /**
   * The elements, once they are computed. On the CPU and WebAssembly backends this
   * resolves at once; on an asynchronous backend (WebGPU) it waits for the device.
   */
  async dataAsync(): Promise<TypedArray> {
    return this.data();
  }

  /** Nested JS arrays (numbers, or booleans for `bool`). */
  toArray(): unknown {
    return toNested(this.data(), this.shape, this.dtype);
  }

  /** The single element of a size-1 array. */
  item(): number | boolean {
    if (this.size !== 1) {
      throw new TraceError(
        `item: array of shape [${this.shape.join(',')}] has ${this.size} elements, not 1`,
      );
    }
    const v = this.data()[0]!;
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  toString(): string {
    return formatArray(this.data(), this.shape, this.dtype);
  }

  /** `Number(x)`, `x > 0`: a size-1 array converts to its value, as NumPy's `float(x)`. */
  [Symbol.toPrimitive](hint: string): number | string {
    return hint === 'string' ? this.toString() : Number(this.item());
  }

  // Methods mirror the functions of the op library; each returns a new array.
  add(y: ArrayLike): Array {
    return ops().add(this, y);
  }
  sub(y: ArrayLike): Array {
    return ops().sub(this, y);
  }
  mul(y: ArrayLike): Array {
    return ops().mul(this, y);
  }
  div(y: ArrayLike): Array {
    return ops().div(this, y);
  }
  pow(y: ArrayLike): Array {
    return ops().pow(this, y);
  }
  maximum(y: ArrayLike): Array {
    return ops().maximum(this, y);
  }
  minimum(y: ArrayLike): Array {
    return ops().minimum(this, y);
  }
  neg(): Array {
    return ops().neg(this);
  }
  abs(): Array {
    return ops().abs(this);
  }
  exp(): Array {
    return ops().exp(this);
  }
  log(): Array {
    return ops().log(this);
  }
  sqrt(): Array {
    return ops().sqrt(this);
  }
  square(): Array {
    return ops().square(this);
  }
  tanh(): Array {
    return ops().tanh(this);
  }
  sigmoid(): Array {
    return ops().sigmoid(this);
  }
  relu(): Array {
    return ops().relu(this);
  }
  clip(lo: ArrayLike, hi: ArrayLike): Array {
    return ops().clip(this, lo, hi);
  }
  equal(y: ArrayLike): Array {
    return ops().equal(this, y);
  }
  notEqual(y: ArrayLike): Array {
    return ops().notEqual(this, y);
  }
  less(y: ArrayLike): Array {
    return ops().less(this, y);
  }
  lessEqual(y: ArrayLike): Array {
    return ops().lessEqual(this, y);
  }
  greater(y: ArrayLike): Array {
    return ops().greater(this, y);
  }
  greaterEqual(y: ArrayLike): Array {
    return ops().greaterEqual(this, y);
  }
  astype(dtype: DType): Array {
    return ops().cast(this, dtype);
  }
  sum(options?: ReduceOptions): Array {
    return ops().sum(this, options);
  }
  mean(options?: ReduceOptions): Array {
    return ops().mean(this, options);
  }
  max(options?: ReduceOptions): Array {
    return ops().max(this, options);
  }
  min(options?: ReduceOptions): Array {
    return ops().min(this, options);
  }
  prod(options?: ReduceOptions): Array {
    return ops().prod(this, options);
  }
  var(options?: ReduceOptions & { ddof?: number }): Array {
    return ops().variance(this, options);
  }
  std(options?: ReduceOptions & { ddof?: number }): Array {
    return ops().std(this, options);
  }
  logsumexp(options?: ReduceOptions): Array {
    return ops().logsumexp(this, options);
  }
  argmax(options?: { axis?: number; keepdims?: boolean }): Array {
    return ops().argmax(this, options);
  }
  argmin(options?: { axis?: number; keepdims?: boolean }): Array {
    return ops().argmin(this, options);
  }
  reshape(shape: Shape): Array {
    return ops().reshape(this, shape);
  }
  transpose(perm?: readonly number[]): Array {
    return ops().transpose(this, perm);
  }
  get T(): Array {
    return ops().transpose(this);
  }
  swapAxes(a: number, b: number): Array {
    return ops().swapAxes(this, a, b);
  }
  expandDims(axis: number): Array {
    return ops().expandDims(this, axis);
  }
  squeeze(axis?: number | readonly number[]): Array {
    return ops().squeeze(this, axis);
  }
  ravel(): Array {
    return ops().ravel(this);
  }
  broadcastTo(shape: Shape): Array {
    return ops().broadcastTo(this, shape);
  }
  slice(
    begin: readonly number[],
    end?: readonly (number | null)[],
    strides?: readonly number[],
  ): Array {
    return ops().slice(this, begin, end, strides);
  }
  take(indices: Array | number | readonly number[], options?: { axis?: number }): Array {
    return ops().take(this, indices, options);
  }
  matmul(y: ArrayLike): Array {
    return ops().matmul(this, y);
  }
  dot(y: ArrayLike): Array {
    return ops().dot(this, y);
  }
}

let markDonated: (x: ConcreteArray, to: string) => void;

/**
 * Marks `x` deleted after a jitted call took its memory (`donateArgnums`): reading it
 * later throws a `DeletedArrayError` naming `to`, instead of returning whatever the call
 * wrote there. Its shape and dtype stay readable.
 */
export const deleteDonated = (x: ConcreteArray, to: string): void => markDonated(x, to);

/** An array that holds its data in a backend buffer (row-major, contiguous). */
export class ConcreteArray extends Array {
  readonly #buffer: TypedArray;
  /** The jitted function this array was donated to, once it was. */
  #donatedTo: string | undefined;
  static {
    markDonated = (x, to) => {
      x.#donatedTo = to;
    };
  }
  constructor(
    buffer: TypedArray,
    readonly shape: Shape,
    readonly dtype: DType,
  ) {
    super();
    this.#buffer = buffer;
  }

  /**
   * The elements in host memory. A getter, so that arrays whose data lives on a device
   * (WebGPU) can refuse a synchronous read with an error that names `dataAsync`.
   */
  get buffer(): TypedArray {
    if (this.#donatedTo !== undefined) {
      throw new DeletedArrayError(
        `this ${this.dtype}${fmtShape(this.shape)} array was donated to ${this.#donatedTo} ` +
          '(donateArgnums) and may hold its outputs now; use the values the call returned',
      );
    }
    return this.#buffer;
  }

  data(): TypedArray {
    return this.buffer.slice();
  }

  override isDeleted(): boolean {
    return this.#donatedTo !== undefined;
  }

  override toString(): string {
    if (this.#donatedTo === undefined) return super.toString();
    return `Array(${this.dtype}${fmtShape(this.shape)}, deleted: donated to ${this.#donatedTo})`;
  }
}
