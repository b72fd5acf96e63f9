import { ConcreteArray } from '../core/array';
import type { Backend, Kernel, KernelPrimitive } from '../core/backend';
import { allocate } from '../core/dtype';
import { sizeOf } from '../core/shape';
import {
  binaryF32,
  compareF32,
  elementwiseAvailable,
  reduceF32,
  selectF32,
  unaryF32,
} from '../wasm/elementwise';
import type { BinaryKernel, CompareKernel, UnaryKernel } from '../wasm/elementwise-kernel';
import { fusedKernel } from '../wasm/fused';
import { kernelMemory, matmulF32Batched, wasmAvailable } from '../wasm/matmul';
import { popFrame, pushFrame, scratchBase } from '../wasm/memory';
import { type ArenaKernels, compileProgram } from './compiler/program';
import { cpuBackend, dotGeneral, type MatmulKernel, tsMatmul } from './cpu';
import { wasmInPlaceKernel } from './wasm-in-place';
import { col2imF32, im2colF32 } from './wasm-patches';
import { transposeMover } from './wasm-transpose';

// Below this many multiply-adds the copy into WebAssembly memory costs more than it saves.
const MIN_WASM_WORK = 4096;

const matmul: MatmulKernel = (a, b, out, batch, m, k, n, transA, transB) => {
  if (
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    m * k * n >= MIN_WASM_WORK
  ) {
    // Backend arrays are immutable, so a weight's packed form can be reused across calls.
    matmulF32Batched(a, b, out, batch, m, k, n, { transA, transB, cacheB: true });
  } else {
    tsMatmul(a, b, out, batch, m, k, n, transA, transB);
  }
};

// Sizes (elements) from which the WebAssembly kernels are not slower than the TypeScript
// loops, copies and call included (measured with Node 20 on x64). Below them both cost
// about the same (allocation and dispatch dominate), and scalars skip the wasm call.
const MIN_WASM_MAP = 16; // neg, abs, sqrt, rsqrt, binary ops, comparisons, select
const MIN_WASM_TRANSCENDENTAL = 8; // exp, expm1, log, log1p, tanh, logistic
const MIN_WASM_REDUCE = 128;

const TRANSCENDENTAL = new Set<string>(['exp', 'expm1', 'log', 'log1p', 'tanh', 'logistic']);

type Kernels = { [P in KernelPrimitive]: Kernel<P> };

const isF32 = (x: ConcreteArray): x is ConcreteArray & { buffer: Float32Array } =>
  x.dtype === 'float32' && x.buffer instanceof Float32Array;

function unary<P extends UnaryKernel & KernelPrimitive>(op: P): Kernel<P> {
  const min = TRANSCENDENTAL.has(op) ? MIN_WASM_TRANSCENDENTAL : MIN_WASM_MAP;
  return (inputs, params, outAvals) => {
    const x = inputs[0]!;
    if (!isF32(x) || x.size < min) return cpuBackend.kernels[op](inputs, params, outAvals);
    return [new ConcreteArray(unaryF32(op, x.buffer), x.shape, 'float32')];
  };
}

function binary<P extends BinaryKernel & KernelPrimitive>(op: P): Kernel<P> {
  return (inputs, params, outAvals) => {
    const [a, b] = inputs as [ConcreteArray, ConcreteArray];
    if (!isF32(a) || !isF32(b) || a.size < MIN_WASM_MAP)
      return cpuBackend.kernels[op](inputs, params, outAvals);
    return [new ConcreteArray(binaryF32(op, a.buffer, b.buffer), a.shape, 'float32')];
  };
}

function compare<P extends CompareKernel & KernelPrimitive>(op: P): Kernel<P> {
  return (inputs, params, outAvals) => {
    const [a, b] = inputs as [ConcreteArray, ConcreteArray];
    if (!isF32(a) || !isF32(b) || a.size < MIN_WASM_MAP)
      return cpuBackend.kernels[op](inputs, params, outAvals);
    return [new ConcreteArray(compareF32(op, a.buffer, b.buffer), a.shape, 'bool')];
  };
}

const select: Kernel<'select'> = (inputs, params, outAvals) => {
  const [p, t, f] = inputs as [ConcreteArray, ConcreteArray, ConcreteArray];
  if (!isF32(t) || !isF32(f) || !(p.buffer instanceof Uint8Array) || t.size < MIN_WASM_MAP) {
    return cpuBackend.kernels.select(inputs, params, outAvals);
  }
  return [new ConcreteArray(selectF32(p.buffer, t.buffer, f.buffer), t.shape, 'float32')];
};

/**
 * `[outer, r, inner]` when the reduced axes form one contiguous block once size-1 axes are
 * ignored (trailing axes, leading axes, a middle run), else undefined.
 */
function reduceBlock(
  shape: readonly number[],
  axes: readonly number[],
): [number, number, number] | undefined {
  const dims: [number, number, number] = [1, 1, 1];
  let phase = 0; // 0: before the reduced axes, 1: among them, 2: after them
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    if (axes.includes(i)) {
      if (phase === 2) return undefined;
      phase = 1;
    } else if (phase === 1) phase = 2;
    dims[phase === 0 ? 0 : phase === 1 ? 1 : 2] *= d;
  }
  return phase === 0 ? undefined : dims;
}

/**
 * Reductions over one contiguous block of axes run in WebAssembly; other axis sets, other
 * dtypes and small arrays take the TypeScript path.
 */
function reduce<P extends 'reduce_sum' | 'reduce_max'>(op: P): Kernel<P> {
  return (inputs, params, outAvals) => {
    const x = inputs[0]!;
    const block =
      isF32(x) && x.size >= MIN_WASM_REDUCE ? reduceBlock(x.shape, params.axes) : undefined;
    if (!block) return cpuBackend.kernels[op](inputs, params, outAvals);
    const out = reduceF32(op === 'reduce_sum' ? 'sum' : 'max', x.buffer as Float32Array, ...block);
    return [new ConcreteArray(out, outAvals[0]!.shape, 'float32')];
  };
}

/** The float32 elementwise and reduction kernels that run in WebAssembly SIMD. */
function elementwiseKernels(): Partial<Kernels> {
  if (!elementwiseAvailable()) return {};
  return {
    neg: unary('neg'),
    abs: unary('abs'),
    sqrt: unary('sqrt'),
    rsqrt: unary('rsqrt'),
    exp: unary('exp'),
    expm1: unary('expm1'),
    log: unary('log'),
    log1p: unary('log1p'),
    tanh: unary('tanh'),
    logistic: unary('logistic'),
    add: binary('add'),
    sub: binary('sub'),
    mul: binary('mul'),
    div: binary('div'),
    max: binary('max'),
    min: binary('min'),
    eq: compare('eq'),
    ne: compare('ne'),
    lt: compare('lt'),
    le: compare('le'),
    gt: compare('gt'),
    ge: compare('ge'),
    select,
    reduce_sum: reduce('reduce_sum'),
    reduce_max: reduce('reduce_max'),
  };
}

// Smaller moves run as fast in the TypeScript loops, copies into WebAssembly included.
const MIN_WASM_MOVE = 1 << 14;

/**
 * im2col, col2im and transposes of float32 data in WebAssembly where they move contiguous
 * rows (of at least a vector, for transposes).
 */
const movementKernels: Pick<Kernels, 'conv_patches' | 'conv_patches_transpose' | 'transpose'> = {
  conv_patches: (inputs, p, outAvals) => {
    const [x] = inputs as [ConcreteArray];
    const shape = outAvals[0]!.shape;
    if (isF32(x) && sizeOf(shape) >= MIN_WASM_MOVE) {
      const cols = allocate('float32', sizeOf(shape), false) as Float32Array;
      if (im2colF32(x.buffer, cols, x.shape, p)) return [new ConcreteArray(cols, shape, 'float32')];
    }
    return cpuBackend.kernels.conv_patches(inputs, p, outAvals);
  },
  conv_patches_transpose: (inputs, p, outAvals) => {
    const [cols] = inputs as [ConcreteArray];
    if (isF32(cols) && cols.size >= MIN_WASM_MOVE) {
      const image = allocate('float32', sizeOf(p.inputShape), false) as Float32Array;
      if (col2imF32(cols.buffer, image, p.inputShape, p))
        return [new ConcreteArray(image, p.inputShape, 'float32')];
    }
    return cpuBackend.kernels.conv_patches_transpose(inputs, p, outAvals);
  },
  transpose: (inputs, p, outAvals) => {
    const [x] = inputs as [ConcreteArray];
    const move = isF32(x) && x.size >= MIN_WASM_MOVE && transposeMover(x.shape, p.perm);
    if (move) {
      const out = allocate('float32', x.size, false) as Float32Array;
      move(x.buffer as Float32Array, out);
      return [new ConcreteArray(out, outAvals[0]!.shape, 'float32')];
    }
    return cpuBackend.kernels.transpose(inputs, p, outAvals);
  },
};

/** The compiled programs' arena: frames on the stack of the matmul's memory. */
const arena: ArenaKernels = {
  // The memory grows first: where it cannot, nothing is claimed.
  push: (bytes) => {
    kernelMemory(scratchBase() + bytes);
    return pushFrame(bytes);
  },
  pop: popFrame,
  inPlace: wasmInPlaceKernel,
};

let cached: Backend | undefined;

/**
 * The CPU backend with float32 matrix products (and so dense layers and convolutions,
 * which lower to them) run by the WebAssembly SIMD kernels on all cores, and float32
 * elementwise maps, comparisons, select and contiguous reductions by single-threaded
 * SIMD kernels. Built on first use: `backend/cpu` may not be initialized yet while this
 * module loads (import cycle).
 */
export function wasmBackend(): Backend {
  cached ??= {
    name: 'wasm',
    kernels: {
      ...cpuBackend.kernels,
      ...elementwiseKernels(),
      ...(elementwiseAvailable() ? movementKernels : {}),
      dot_general: ([a, b], p) => [dotGeneral(a!, b!, p, matmul)],
    },
    // jit programs: elementwise chains fused into generated SIMD kernels, which share
    // an arena in the matmul's memory with the matrix products.
    compile: (jaxpr, { donated }) =>
      compileProgram(
        jaxpr,
        wasmBackend(),
        elementwiseAvailable() ? { fused: fusedKernel, arena, donated } : { donated },
      ),
  };
  return cached;
}

/** The best backend this runtime supports: WASM SIMD where available, else pure TypeScript. */
export const defaultBackend = (): Backend => (wasmAvailable() ? wasmBackend() : cpuBackend);
