/**
 * WebAssembly SIMD kernels generated at run time, run in parallel on a pool of workers
 * that share one memory, and callable synchronously. See README.md.
 */
export {
  getNumThreads,
  type MatmulF32Options,
  matmulF32,
  matmulF32Batched,
  matmulF32Into,
  setNumThreads,
  wasmAvailable,
  whenThreadsReady,
} from './matmul';
