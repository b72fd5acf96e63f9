import { matmulF32Batched, wasmAvailable } from '../wasm/matmul';
import type { Backend } from './backend';
import { cpuBackend, dotGeneral, type MatmulKernel } from './cpu';
import { matmulInto } from './cpu-matmul';

// Below this many multiply-adds the copy into WebAssembly memory costs more than it saves.
const MIN_WASM_WORK = 4096;

const matmul: MatmulKernel = (a, b, out, batch, m, k, n) => {
  if (
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    m * k * n >= MIN_WASM_WORK
  ) {
    matmulF32Batched(a, b, out, batch, m, k, n);
  } else {
    matmulInto(a, b, out, batch, m, k, n);
  }
};

let cached: Backend | undefined;

/**
 * The CPU backend with float32 matrix products (and so dense layers and convolutions,
 * which lower to them) run by the WebAssembly SIMD kernels on all cores. Built on first
 * use: `backend/cpu` may not be initialized yet while this module loads (import cycle).
 */
export function wasmBackend(): Backend {
  cached ??= {
    name: 'wasm',
    kernels: { ...cpuBackend.kernels, dot_general: ([a, b], p) => [dotGeneral(a!, b!, p, matmul)] },
  };
  return cached;
}

/** The best backend this runtime supports: WASM SIMD where available, else pure TypeScript. */
export const defaultBackend = (): Backend => (wasmAvailable() ? wasmBackend() : cpuBackend);
