import { allocate } from '../core/dtype';
import { ShapeError } from '../core/errors';
import {
  type BinaryKernel,
  buildElementwiseModule,
  type CompareKernel,
  ELEMENTWISE_MEMORY,
  type ElementwiseKernel,
  PAD_BYTES,
  type UnaryKernel,
} from './elementwise-kernel';
import { type KernelMemory, kernelMemory } from './matmul';
import { scratchBase } from './memory';

/**
 * Float32 elementwise maps and reductions in WebAssembly SIMD, on the calling thread.
 * Inputs are copied into the kernels' memory (the matmul's, above `scratchBase()`), the
 * kernel runs, the result is copied out. Kernels are compiled on first use, one small
 * module each.
 */

type Run = (...args: number[]) => void;

interface Runtime {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly kernels: Map<ElementwiseKernel, Run>;
}

let runtime: Runtime | null | undefined;

function createRuntime(): Runtime | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const km = kernelMemory();
    // One probe module: an engine without SIMD rejects it.
    if (!km || !WebAssembly.validate(buildElementwiseModule('add', km.shared))) return null;
    return { memory: km.memory, shared: km.shared, kernels: new Map() };
  } catch {
    return null;
  }
}

function getRuntime(): Runtime | null {
  if (runtime === undefined) runtime = createRuntime();
  return runtime;
}

/** Whether the WebAssembly SIMD elementwise kernels can run here. */
export function elementwiseAvailable(): boolean {
  return getRuntime() !== null;
}

function kernel(rt: Runtime, name: ElementwiseKernel): Run {
  let run = rt.kernels.get(name);
  if (!run) {
    const module = new WebAssembly.Module(buildElementwiseModule(name, rt.shared));
    const instance = new WebAssembly.Instance(module, {
      [ELEMENTWISE_MEMORY.module]: { [ELEMENTWISE_MEMORY.name]: rt.memory },
    });
    run = instance.exports.run as Run;
    rt.kernels.set(name, run);
  }
  return run;
}

function runtimeOrThrow(op: string): Runtime {
  const rt = getRuntime();
  if (!rt) throw new RangeError(`${op}: WebAssembly SIMD is not available`);
  return rt;
}

function checkLengths(op: string, arrays: readonly Data[]): void {
  const n = arrays[0]!.length;
  if (arrays.some((a) => a.length !== n)) {
    throw new ShapeError(
      `${op}: operand lengths differ: ${arrays.map((a) => a.length).join(', ')}`,
    );
  }
}

/** Bytes a region of `n` elements of `size` bytes takes, padded for the kernels. */
const padded = (n: number, size: number) =>
  Math.ceil((n * size) / PAD_BYTES) * PAD_BYTES || PAD_BYTES;

/**
 * Elements per chunk of a streamed map: each input or output region is `CHUNK * 4`
 * bytes, so a chunk's working set (at most four regions) stays in L2 between the copy
 * in, the kernel and the copy out, and the memory never needs more than those regions.
 */
const CHUNK = 16384;
const REGION = CHUNK * 4;

type Data = Float32Array | Uint8Array;

const viewOf = (km: KernelMemory, a: Data): Data => (a instanceof Float32Array ? km.f32 : km.u8);

/**
 * Runs a map chunk by chunk: input k is copied to region k, `run(c, ...args)` computes
 * `c` elements, and region `outRegion` is copied into `out`. (`args` is always four long:
 * a call with fixed arity is cheaper than a spread, and wasm ignores the extra ones.)
 */
function streamed<T extends Data>(
  run: Run,
  args: readonly [number, number, number, number],
  inputs: readonly Data[],
  out: T,
  outRegion: number,
): T {
  const n = out.length;
  const base = scratchBase();
  const [a0, a1, a2, a3] = args.map((a) => base + a) as [number, number, number, number];
  const km = kernelMemory(base + 4 * REGION)!;
  for (let i = 0; i < n; i += CHUNK) {
    const c = Math.min(CHUNK, n - i);
    for (let k = 0; k < inputs.length; k++) {
      const x = inputs[k]!;
      const at = (base + k * REGION) / x.BYTES_PER_ELEMENT;
      viewOf(km, x).set(c === n ? x : x.subarray(i, i + c), at);
    }
    run(c, a0, a1, a2, a3);
    const at = (base + outRegion * REGION) / out.BYTES_PER_ELEMENT;
    out.set(viewOf(km, out).subarray(at, at + c), i);
  }
  return out;
}

/** `op(x)` elementwise. */
export function unaryF32(op: UnaryKernel, x: Float32Array): Float32Array {
  const rt = runtimeOrThrow(op);
  return streamed(
    kernel(rt, op),
    [0, 0, 0, 0],
    [x],
    allocate('float32', x.length, false) as Float32Array,
    0,
  );
}

/** `a op b` elementwise over arrays of equal length. */
export function binaryF32(op: BinaryKernel, a: Float32Array, b: Float32Array): Float32Array {
  const rt = runtimeOrThrow(op);
  checkLengths(op, [a, b]);
  const args = [0, REGION, 0, 0] as const;
  return streamed(
    kernel(rt, op),
    args,
    [a, b],
    allocate('float32', a.length, false) as Float32Array,
    0,
  );
}

/** `a op b ? 1 : 0` elementwise (a `bool` buffer). */
export function compareF32(op: CompareKernel, a: Float32Array, b: Float32Array): Uint8Array {
  const rt = runtimeOrThrow(op);
  checkLengths(op, [a, b]);
  const args = [0, REGION, 2 * REGION, 0] as const;
  return streamed(kernel(rt, op), args, [a, b], allocate('bool', a.length, false) as Uint8Array, 2);
}

/** `pred ? t : f` elementwise, bit for bit. */
export function selectF32(pred: Uint8Array, t: Float32Array, f: Float32Array): Float32Array {
  const rt = runtimeOrThrow('select');
  checkLengths('select', [pred, t, f]);
  const args = [2 * REGION, 0, REGION, 0] as const;
  return streamed(
    kernel(rt, 'select'),
    args,
    [t, f, pred],
    allocate('float32', t.length, false) as Float32Array,
    0,
  );
}

/** Columns of `[outer, r, inner]` reduced per call, so the accumulator row stays in L1. */
const COL_BLOCK = 1024;

/**
 * Reduces `x` viewed as `[outer, r, inner]` over its middle axis (sum accumulating in
 * float64, or max with NaN propagating), as the TypeScript backend's block reduction.
 */
export function reduceF32(
  op: 'sum' | 'max',
  x: Float32Array,
  outer: number,
  r: number,
  inner: number,
): Float32Array {
  const rt = runtimeOrThrow(`reduce_${op}`);
  if (x.length !== outer * r * inner) {
    throw new ShapeError(
      `reduce_${op}: ${x.length} elements do not form a [${outer}, ${r}, ${inner}] block`,
    );
  }
  const xAt = scratchBase();
  const oAt = xAt + padded(x.length, 4);
  const m = outer * inner;
  const scratchAt = oAt + padded(m, 4);
  const { f32 } = kernelMemory(scratchAt + padded(Math.min(inner, COL_BLOCK), 8))!;
  f32.set(x, xAt / 4);
  if (inner === 1) {
    kernel(rt, op === 'sum' ? 'sum_rows' : 'max_rows')(xAt, oAt, outer, r);
  } else {
    const run = kernel(rt, op === 'sum' ? 'sum_cols' : 'max_cols');
    for (let j = 0; j < inner; j += COL_BLOCK) {
      const width = Math.min(COL_BLOCK, inner - j);
      run(xAt + 4 * j, oAt + 4 * j, outer, r, inner, width, scratchAt);
    }
  }
  const out = allocate('float32', m, false) as Float32Array;
  out.set(f32.subarray(oAt >> 2, (oAt >> 2) + m));
  return out;
}
