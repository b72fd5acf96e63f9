import type { DType, TypedArray } from '../dtype';
import { TraceError } from '../errors';
import type { ArrayLike } from '../ops/creation';
import * as ew from '../ops/elementwise';
import * as ix from '../ops/indexing';
import * as la from '../ops/linalg';
import * as rd from '../ops/reduce';
import * as st from '../ops/structural';
import type { Primitive, PrimitiveParams } from '../primitives';
import type { Shape } from '../shape';
import { sizeOf } from '../shape';
import { evalPrimitive } from './eval';
import { formatArray, toNested } from './format';

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

  // Methods mirror the functions of the op library; each returns a new array.
  add(y: ArrayLike): Array {
    return ew.add(this, y);
  }
  sub(y: ArrayLike): Array {
    return ew.sub(this, y);
  }
  mul(y: ArrayLike): Array {
    return ew.mul(this, y);
  }
  div(y: ArrayLike): Array {
    return ew.div(this, y);
  }
  pow(y: ArrayLike): Array {
    return ew.pow(this, y);
  }
  maximum(y: ArrayLike): Array {
    return ew.maximum(this, y);
  }
  minimum(y: ArrayLike): Array {
    return ew.minimum(this, y);
  }
  neg(): Array {
    return ew.neg(this);
  }
  abs(): Array {
    return ew.abs(this);
  }
  exp(): Array {
    return ew.exp(this);
  }
  log(): Array {
    return ew.log(this);
  }
  sqrt(): Array {
    return ew.sqrt(this);
  }
  square(): Array {
    return ew.square(this);
  }
  tanh(): Array {
    return ew.tanh(this);
  }
  sigmoid(): Array {
    return ew.sigmoid(this);
  }
  relu(): Array {
    return ew.relu(this);
  }
  clip(lo: ArrayLike, hi: ArrayLike): Array {
    return ew.clip(this, lo, hi);
  }
  equal(y: ArrayLike): Array {
    return ew.equal(this, y);
  }
  notEqual(y: ArrayLike): Array {
    return ew.notEqual(this, y);
  }
  less(y: ArrayLike): Array {
    return ew.less(this, y);
  }
  lessEqual(y: ArrayLike): Array {
    return ew.lessEqual(this, y);
  }
  greater(y: ArrayLike): Array {
    return ew.greater(this, y);
  }
  greaterEqual(y: ArrayLike): Array {
    return ew.greaterEqual(this, y);
  }
  astype(dtype: DType): Array {
    return ew.cast(this, dtype);
  }
  sum(options?: rd.ReduceOptions): Array {
    return rd.sum(this, options);
  }
  mean(options?: rd.ReduceOptions): Array {
    return rd.mean(this, options);
  }
  max(options?: rd.ReduceOptions): Array {
    return rd.max(this, options);
  }
  min(options?: rd.ReduceOptions): Array {
    return rd.min(this, options);
  }
  prod(options?: rd.ReduceOptions): Array {
    return rd.prod(this, options);
  }
  var(options?: rd.ReduceOptions & { ddof?: number }): Array {
    return rd.variance(this, options);
  }
  std(options?: rd.ReduceOptions & { ddof?: number }): Array {
    return rd.std(this, options);
  }
  logsumexp(options?: rd.ReduceOptions): Array {
    return rd.logsumexp(this, options);
  }
  argmax(options?: { axis?: number; keepdims?: boolean }): Array {
    return rd.argmax(this, options);
  }
  argmin(options?: { axis?: number; keepdims?: boolean }): Array {
    return rd.argmin(this, options);
  }
  reshape(shape: Shape): Array {
    return st.reshape(this, shape);
  }
  transpose(perm?: readonly number[]): Array {
    return st.transpose(this, perm);
  }
  get T(): Array {
    return st.transpose(this);
  }
  swapAxes(a: number, b: number): Array {
    return st.swapAxes(this, a, b);
  }
  expandDims(axis: number): Array {
    return st.expandDims(this, axis);
  }
  squeeze(axis?: number | readonly number[]): Array {
    return st.squeeze(this, axis);
  }
  ravel(): Array {
    return st.ravel(this);
  }
  broadcastTo(shape: Shape): Array {
    return ew.broadcastTo(this, shape);
  }
  slice(
    begin: readonly number[],
    end?: readonly (number | null)[],
    strides?: readonly number[],
  ): Array {
    return st.slice(this, begin, end, strides);
  }
  take(indices: Array | number | readonly number[], options?: { axis?: number }): Array {
    return ix.take(this, indices, options);
  }
  matmul(y: ArrayLike): Array {
    return la.matmul(this, y);
  }
  dot(y: ArrayLike): Array {
    return la.dot(this, y);
  }
}

/** An array that holds its data in a backend buffer (row-major, contiguous). */
export class ConcreteArray extends Array {
  constructor(
    readonly buffer: TypedArray,
    readonly shape: Shape,
    readonly dtype: DType,
  ) {
    super();
  }

  data(): TypedArray {
    return this.buffer.slice();
  }
}

/** A stack entry: one running transform. `alive` turns false when it returns. */
export interface MainTrace {
  readonly level: number;
  readonly traceType: new (main: MainTrace) => Trace;
  readonly globalData: unknown;
  alive: boolean;
}

/** An interpreter: lifts values into its tracers and processes primitives on them. */
export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wraps a value from below this level (a constant to this transform). */
  abstract pure(x: Array): Tracer;
  lift(x: Array): Tracer {
    return this.pure(x);
  }
  abstract process<P extends Primitive>(
    prim: P,
    tracers: Tracer[],
    params: PrimitiveParams[P],
  ): Tracer[];
}

/** A value inside a transform. */
export abstract class Tracer extends Array {
  abstract readonly trace: Trace;

  /** The value this tracer stands for one level down, when it can be read. */
  concrete(): Array | undefined {
    return undefined;
  }

  /** Drops to a lower-level value when this tracer carries nothing of its own. */
  fullLower(): Array {
    return this;
  }

  data(): TypedArray {
    const c = this.concrete();
    if (c === undefined) {
      throw new TraceError(
        `cannot read the values of an array traced by ${this.trace.constructor.name} ` +
          `(shape [${this.shape.join(',')}], ${this.dtype}) inside a transform`,
      );
    }
    return c.data();
  }
}

const stack: MainTrace[] = [];

/** Runs `fn` with a new transform pushed on the interpreter stack. */
export function newMain<T>(
  traceType: new (main: MainTrace) => Trace,
  globalData: unknown,
  fn: (main: MainTrace) => T,
): T {
  const main: MainTrace = { level: stack.length + 1, traceType, globalData, alive: true };
  stack.push(main);
  try {
    return fn(main);
  } finally {
    stack.pop();
    main.alive = false;
  }
}

function topMain(args: readonly Array[]): MainTrace | undefined {
  let top: MainTrace | undefined;
  for (const a of args) {
    if (a instanceof Tracer) {
      const main = a.trace.main;
      if (!main.alive) {
        throw new TraceError(
          'a tracer escaped the transform that created it (a traced array was stored outside the function, or returned from a nested transform)',
        );
      }
      if (top === undefined || main.level > top.level) top = main;
    }
  }
  return top;
}

function fullRaise(trace: Trace, x: Array): Tracer {
  if (!(x instanceof Tracer)) return trace.pure(x);
  const level = x.trace.main.level;
  if (x.trace.main === trace.main) return x;
  if (level < trace.main.level) return trace.lift(x);
  throw new TraceError(
    `tracer from level ${level} used at level ${trace.main.level}: a tracer leaked out of its transform`,
  );
}

/** Applies a primitive: the top interpreter among the arguments processes it. */
export function bind<P extends Primitive>(
  prim: P,
  args: readonly Array[],
  params: PrimitiveParams[P],
): Array[] {
  const main = topMain(args);
  if (main === undefined) {
    return evalPrimitive(prim, args as ConcreteArray[], params);
  }
  const trace = new main.traceType(main);
  const tracers = args.map((a) => fullRaise(trace, a));
  return trace.process(prim, tracers, params).map((t) => t.fullLower());
}

/** `bind` for single-output primitives. */
export function bind1<P extends Primitive>(
  prim: P,
  args: readonly Array[],
  params: PrimitiveParams[P],
): Array {
  return bind(prim, args, params)[0]!;
}

/** The current depth of the interpreter stack (0 when no transform runs). */
export const stackDepth = (): number => stack.length;
