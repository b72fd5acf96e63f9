import { Array, ConcreteArray } from './array';
import { allocate, type TypedArray } from './dtype';
import { TraceError } from './errors';
import { evalPrimitive } from './eval';
import type { AbstractValue, Primitive, PrimitiveParams, ScanParams } from './primitives';

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
  /**
   * The error for reading a traced value as a concrete one. Tracing interpreters
   * (`jit`, `makeJaxpr`) override it with a `ConcretizationError` that names `what`.
   */
  concretizationError(what: string, x: Tracer): Error {
    return new TraceError(
      `${what}: cannot read the values of an array traced by ${this.constructor.name} ` +
        `(shape [${x.shape.join(',')}], ${x.dtype}) inside a transform`,
    );
  }
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
    return this.readable('data').data();
  }

  override item(): number | boolean {
    return this.readable('item').item();
  }

  override toArray(): unknown {
    return this.readable('toArray').toArray();
  }

  override [Symbol.toPrimitive](hint: string): number | string {
    if (hint === 'string') return this.toString();
    return Number(this.readable('converting to a JS number (`Number(x)`, `x > 0`)').item());
  }

  /** Prints the abstract value where the data cannot be read, as JAX's `Traced<...>`. */
  override toString(): string {
    const c = this.concrete();
    return c === undefined ? `Traced<${this.dtype}[${this.shape.join(',')}]>` : c.toString();
  }

  /** The concrete value below, or the trace's error naming the operation `what`. */
  private readable(what: string): Array {
    const c = this.concrete();
    if (c === undefined) throw this.trace.concretizationError(what, this);
    return c;
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
    // A scan body may close over tracers of enclosing transforms (closure conversion
    // passes them as operands the body ignores), so its steps bind like any other op.
    // A body recorded as a jaxpr is self-contained: it runs as a compiled program.
    if (prim === 'scan' && (params as ScanParams).bodyJaxpr === undefined) {
      return unrollScan(args, params as ScanParams);
    }
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

const rowOf = (x: Array, t: number): Array =>
  bind1(
    'reshape',
    [
      bind1('slice', [x], {
        start: x.shape.map((_, i) => (i === 0 ? t : 0)),
        limit: x.shape.map((d, i) => (i === 0 ? t + 1 : d)),
        strides: x.shape.map(() => 1),
      }),
    ],
    { shape: x.shape.slice(1) },
  );

function stackAxis0(rows: readonly Array[], aval: AbstractValue): Array {
  if (rows.length === 0) {
    return new ConcreteArray(allocate(aval.dtype, 0), [0, ...aval.shape], aval.dtype);
  }
  const expanded = rows.map((r) => bind1('reshape', [r], { shape: [1, ...aval.shape] }));
  return expanded.length === 1 ? expanded[0]! : bind1('concatenate', expanded, { axis: 0 });
}

/**
 * Splits `x` along axis 0 into its rows as one linear op whose transpose is a single
 * concatenation. Slicing row by row would transpose into one full-size `pad` per row,
 * making reverse mode through an unrolled scan quadratic in its length.
 */
function unstackAxis0(x: Array): Array[] {
  const n = x.shape[0]!;
  if (n === 0) return [];
  const row = { shape: x.shape.slice(1), dtype: x.dtype };
  return bind('custom_linear', [x], {
    name: 'unstack',
    forward: ([v]) => globalThis.Array.from({ length: n }, (_, t) => rowOf(v!, t)),
    transpose: (cts) => [stackAxis0(cts, row)],
    inAvals: [{ shape: x.shape, dtype: x.dtype }],
    outAvals: globalThis.Array.from({ length: n }, () => row),
  });
}

/**
 * Runs a scan by unrolling it in JS under the current transforms: each step's ops bind
 * like any other op. Interpreters without a scan rule of their own use it.
 */
export function unrollScan(args: readonly Array[], p: ScanParams): Array[] {
  const consts = args.slice(0, p.numConsts);
  let carry = args.slice(p.numConsts, p.numConsts + p.numCarry);
  const steps = args.slice(p.numConsts + p.numCarry).map(unstackAxis0);
  const ys: Array[][] = p.yAvals.map(() => []);
  for (let s = 0; s < p.length; s++) {
    const t = p.reverse ? p.length - 1 - s : s;
    const out = p.body([...consts, ...carry, ...steps.map((x) => x[t]!)]);
    carry = out.slice(0, p.numCarry);
    out.slice(p.numCarry).forEach((y, i) => {
      ys[i]!.push(y);
    });
  }
  return [
    ...carry,
    ...ys.map((list, i) => stackAxis0(p.reverse ? list.reverse() : list, p.yAvals[i]!)),
  ];
}
