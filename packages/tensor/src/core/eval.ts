import type { Backend, KernelPrimitive } from '../backend/backend';
import { cpuBackend } from '../backend/cpu';
import { defaultBackend } from '../backend/wasm';
import { ValueError } from '../errors';
import { zerosAval } from '../ops/creation';
import { indexAxis0, stackAxis0 } from '../ops/structural';
import type { Primitive, PrimitiveParams, ScanParams } from '../primitives';
import { type Array, bind, type ConcreteArray } from './array';

// Chosen at the first op, not at load: `backend/cpu` and this module import each other
// (through `core/array`), so the backends may still be undefined while this module
// initializes, depending on which one the entry point imports first.
let backend: Backend | undefined;

/** `JUTE_BACKEND=cpu` forces the pure-TypeScript backend (to test both with one suite). */
const requested = (): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.JUTE_BACKEND;

/** The backend that evaluates primitives on concrete arrays: WASM SIMD where available. */
export function getBackend(): Backend {
  backend ??= requested() === 'cpu' ? cpuBackend : defaultBackend();
  return backend;
}

/** Switches the backend; every later op on concrete arrays runs on it. */
export function setBackend(next: Backend): void {
  backend = next;
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
    forward: ([v]) => [...globalThis.Array(n).keys()].map((t) => indexAxis0(v!, t)),
    transpose: (cts) => [stackAxis0(cts)],
    inAvals: [{ shape: x.shape, dtype: x.dtype }],
    outAvals: globalThis.Array.from({ length: n }, () => row),
  });
}

/** Runs a scan by looping in JS: each step's ops bind like any other op. */
export function runScan(args: readonly Array[], p: ScanParams): Array[] {
  const consts = args.slice(0, p.numConsts);
  let carry = args.slice(p.numConsts, p.numConsts + p.numCarry);
  const xs = args.slice(p.numConsts + p.numCarry);
  const ys: Array[][] = p.yAvals.map(() => []);
  const steps = xs.map(unstackAxis0);
  for (let s = 0; s < p.length; s++) {
    const t = p.reverse ? p.length - 1 - s : s;
    const out = p.body([...consts, ...carry, ...steps.map((x) => x[t]!)]);
    carry = out.slice(0, p.numCarry);
    out.slice(p.numCarry).forEach((y, i) => {
      ys[i]!.push(y);
    });
  }
  const stacked = ys.map((list, i) => {
    if (list.length === 0) {
      const aval = p.yAvals[i]!;
      return zerosAval({ shape: [0, ...aval.shape], dtype: aval.dtype });
    }
    return stackAxis0(p.reverse ? list.reverse() : list);
  });
  return [...carry, ...stacked];
}

/** The bottom interpreter: kernels for numbers, JS control flow for closures. */
export function evalPrimitive<P extends Primitive>(
  prim: P,
  args: ConcreteArray[],
  params: PrimitiveParams[P],
): Array[] {
  switch (prim) {
    case 'scan':
      return runScan(args, params as ScanParams);
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
    default: {
      const kernel = getBackend().kernels[prim as KernelPrimitive] as (
        a: ConcreteArray[],
        p: unknown,
      ) => Array[];
      return kernel(args, params);
    }
  }
}
