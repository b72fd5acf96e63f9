import { type Array, ConcreteArray } from './array';
import type { Backend, KernelPrimitive, Program } from './backend';
import { config } from './config';
import { checkNans } from './debug-nans';
import { allocate, type TypedArray } from './dtype';
import { JuteError, ValueError } from './errors';
import type { Jaxpr, Var } from './jaxpr';
import type {
  AbstractValue,
  JitCallParams,
  Primitive,
  PrimitiveParams,
  ScanParams,
} from './primitives';
import { sizeOf } from './shape';
import { shapeRules } from './shape-rules';

let backend: Backend | undefined;
let defaultBackend: (() => Backend) | undefined;

/**
 * Names the backend to use when the program has not chosen one. The core cannot import
 * a backend (backends sit above it), so the package entry hands the choice over at load.
 */
export function useDefaultBackend(choose: () => Backend): void {
  defaultBackend = choose;
}

/** The backend that evaluates primitives on concrete arrays (chosen at the first op). */
export function getBackend(): Backend {
  if (backend === undefined) {
    if (defaultBackend === undefined) {
      throw new JuteError('no backend: import @jute/tensor (its entry chooses the default)');
    }
    backend = defaultBackend();
  }
  return backend;
}

/**
 * Switches the backend; every later op on concrete arrays runs on it.
 * @example jt.setBackend(jt.cpuBackend)
 */
export function setBackend(next: Backend): void {
  backend = next;
}

const avalOf = (x: Array): AbstractValue => ({ shape: x.shape, dtype: x.dtype });

/** Runs one kernel; the backend gets the output avals from the shape rule. */
function runKernel<P extends KernelPrimitive>(
  prim: P,
  args: readonly ConcreteArray[],
  params: PrimitiveParams[P],
): ConcreteArray[] {
  const outAvals = shapeRules[prim](args.map(avalOf), params);
  return getBackend().kernels[prim]([...args], params, outAvals);
}

/**
 * Row `t` of `x` along axis 0: on the CPU a view of `x`'s buffer (arrays are immutable,
 * so no copy is needed; an LSTM's backward scan reads a dozen stacked residuals per step).
 */
function row(x: ConcreteArray, t: number): ConcreteArray {
  // Other backends' arrays (WebGPU's) pass through here typed as ConcreteArray.
  if ((x as Array) instanceof ConcreteArray) {
    const n = x.size / x.shape[0]!;
    return new ConcreteArray(x.buffer.subarray(t * n, (t + 1) * n), x.shape.slice(1), x.dtype);
  }
  const start = x.shape.map((_, i) => (i === 0 ? t : 0));
  const limit = x.shape.map((d, i) => (i === 0 ? t + 1 : d));
  const [s] = runKernel('slice', [x], { start, limit, strides: x.shape.map(() => 1) });
  return runKernel('reshape', [s!], { shape: x.shape.slice(1) })[0]!;
}

/** Stacks same-shaped arrays along a new axis 0 (an empty array when there are none). */
function stackRows(rows: readonly ConcreteArray[], aval: AbstractValue): ConcreteArray {
  if (rows.length === 0) {
    return new ConcreteArray(allocate(aval.dtype, 0), [0, ...aval.shape], aval.dtype);
  }
  const expanded = rows.map((r) => runKernel('reshape', [r], { shape: [1, ...aval.shape] })[0]!);
  return expanded.length === 1 ? expanded[0]! : runKernel('concatenate', expanded, { axis: 0 })[0]!;
}

/**
 * Collects one output of a scan into a stacked array, row `t` from step `t`. Host arrays
 * are copied into one buffer as each step returns them, while they are still in cache: a
 * scan's dozen outputs of 64 steps would otherwise cost a reshape each and a 64-way
 * concatenation after the loop. Device arrays (WebGPU's) are stacked by one kernel.
 */
function rowCollector(aval: AbstractValue, length: number, reverse: boolean) {
  const n = sizeOf(aval.shape);
  let host: TypedArray | undefined;
  const device: ConcreteArray[] = [];
  return {
    /**
     * Row `t` of the stacked buffer, once a first host row showed the outputs are host
     * arrays: a compiled body may write its output there, which then needs no copy.
     */
    target(t: number): TypedArray | undefined {
      return host?.subarray(t * n, (t + 1) * n);
    },
    put(t: number, y: ConcreteArray): void {
      if ((y as Array) instanceof ConcreteArray && device.length === 0) {
        host ??= allocate(aval.dtype, length * n, false);
        const b = y.buffer;
        if (
          b.buffer !== host.buffer ||
          b.byteOffset !== host.byteOffset + t * n * b.BYTES_PER_ELEMENT
        )
          host.set(b, t * n);
      } else device.push(y);
    },
    stacked(): ConcreteArray {
      if (host) return new ConcreteArray(host, [length, ...aval.shape], aval.dtype);
      return stackRows(reverse ? device.reverse() : device, aval);
    },
  };
}

/**
 * Runs a scan on concrete arrays by looping in JS: each step's ops bind like any other
 * op (so an enclosing `jit` or transform is not involved here: everything is concrete).
 */
function evalScan(args: readonly ConcreteArray[], p: ScanParams): Array[] {
  const consts = args.slice(0, p.numConsts);
  let carry: Array[] = args.slice(p.numConsts, p.numConsts + p.numCarry);
  const xs = args.slice(p.numConsts + p.numCarry);
  const ys = p.yAvals.map((aval) => rowCollector(aval, p.length, p.reverse));
  // A body recorded by a tracing interpreter runs as the backend's compiled program.
  const body: (args: ConcreteArray[], into: (TypedArray | undefined)[]) => Array[] = p.bodyJaxpr
    ? (args, into) => programFor(getBackend(), p.bodyJaxpr!.jaxpr, noDonation)(args, into)
    : p.body;
  for (let s = 0; s < p.length; s++) {
    const t = p.reverse ? p.length - 1 - s : s;
    const out = body(
      [...(consts as ConcreteArray[]), ...(carry as ConcreteArray[]), ...xs.map((x) => row(x, t))],
      // Carries get no target: a step's carry is the next step's input.
      [...carry.map(() => undefined), ...ys.map((y) => y.target(t))],
    );
    carry = out.slice(0, p.numCarry);
    out.slice(p.numCarry).forEach((y, i) => {
      ys[i]!.put(t, y as ConcreteArray);
    });
  }
  return [...carry, ...ys.map((y) => y.stacked())];
}

/**
 * Runs a constant-free jaxpr on concrete arrays equation by equation, straight into the
 * kernels: no tracing, no op-library checks. Backends without a compiler run `jit`
 * programs this way.
 */
export function interpretJaxpr(jaxpr: Jaxpr, inputs: readonly ConcreteArray[]): ConcreteArray[] {
  const env = new Map<Var, ConcreteArray>();
  jaxpr.inVars.forEach((v, i) => {
    env.set(v, inputs[i]!);
  });
  for (const eqn of jaxpr.eqns) {
    const outs = evalPrimitive(
      eqn.prim,
      eqn.inputs.map((v) => env.get(v)!),
      eqn.params,
    );
    eqn.outs.forEach((v, i) => {
      env.set(v, outs[i] as ConcreteArray);
    });
  }
  return jaxpr.outs.map((v) => env.get(v)!);
}

// Programs compiled for a jaxpr, per backend (a jaxpr may run on several backends).
const programs = new WeakMap<Jaxpr, Map<Backend, Program>>();

const noDonation: readonly boolean[] = [];

/** The backend's program for a constant-free jaxpr, compiled on first use and cached. */
function programFor(b: Backend, jaxpr: Jaxpr, donated: readonly boolean[]): Program {
  let perBackend = programs.get(jaxpr);
  if (perBackend === undefined) {
    perBackend = new Map();
    programs.set(jaxpr, perBackend);
  }
  let program = perBackend.get(b);
  if (program === undefined) {
    program = b.compile?.(jaxpr, { donated }) ?? ((inputs) => interpretJaxpr(jaxpr, inputs));
    perBackend.set(b, program);
  }
  return program;
}

/** The bottom interpreter: kernels for numbers, JS control flow for closures. */
export function evalPrimitive<P extends Primitive>(
  prim: P,
  args: ConcreteArray[],
  params: PrimitiveParams[P],
): Array[] {
  switch (prim) {
    case 'scan':
      return evalScan(args, params as ScanParams);
    case 'cond': {
      const p = params as PrimitiveParams['cond'];
      const index = Number(args[0]!.item());
      if (!(index >= 0 && index < p.branches.length)) {
        throw new ValueError(
          `cond: branch index ${index} out of range for ${p.branches.length} branches`,
        );
      }
      return p.branches[index]!(args.slice(1));
    }
    case 'while': {
      const p = params as PrimitiveParams['while'];
      let carry: Array[] = args;
      while (p.cond(carry).item()) carry = p.body(carry);
      return carry;
    }
    case 'custom_linear':
      return (params as PrimitiveParams['custom_linear']).forward(args);
    case 'jit_call': {
      const p = params as JitCallParams;
      return programFor(getBackend(), p.jaxpr, p.donated)(args);
    }
    default: {
      const outs = runKernel(prim as KernelPrimitive, args, params as never);
      if (config.debugNans) checkNans(prim, args, outs);
      return outs;
    }
  }
}
