import { getBackend } from '../core/eval';
import { elementwiseAvailable } from './elementwise';
import { getNumThreads, matmulUsesFma, wasmAvailable } from './matmul';
import { sharedMemoryAvailable } from './pool';

/** What evaluates Jute's operations in this program; see `backendInfo`. */
export interface BackendInfo {
  /** Name of the active backend: `'wasm'` (WebAssembly SIMD kernels) or `'cpu'` (TypeScript). */
  readonly backend: string;
  /** Whether the WebAssembly SIMD kernels can run in this engine. */
  readonly simd: boolean;
  /** Whether the matrix product uses relaxed-SIMD fused multiply-adds. */
  readonly relaxedSimd: boolean;
  /** Threads (the calling one included) that matrix products run on. */
  readonly threads: number;
  /**
   * Whether `SharedArrayBuffer` exists. Without it (a web page that is not cross-origin
   * isolated) the WebAssembly kernels still run, on the calling thread only.
   */
  readonly sharedMemory: boolean;
}

/**
 * Says what runs the numeric kernels: the backend, whether WebAssembly SIMD is in use, and
 * on how many threads. A page needs cross-origin isolation (COOP/COEP headers) for more
 * than one thread; without it the WebAssembly kernels run on the calling thread.
 *
 * @example
 * ```ts
 * import * as jt from '@jute/tensor';
 * const info = jt.backendInfo();
 * console.log(`${info.backend}, ${info.threads} thread(s), SIMD ${info.simd}`);
 * ```
 */
export function backendInfo(): BackendInfo {
  const backend = getBackend().name;
  const simd = wasmAvailable() && elementwiseAvailable();
  return {
    backend,
    simd,
    relaxedSimd: simd && matmulUsesFma(),
    threads: backend === 'wasm' ? getNumThreads() : 1,
    sharedMemory: sharedMemoryAvailable(),
  };
}
