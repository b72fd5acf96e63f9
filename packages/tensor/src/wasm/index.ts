/**
 * WebAssembly SIMD kernels generated at run time: a float32 matrix multiply run in
 * parallel on a pool of workers that share one memory, and float32 elementwise maps and
 * reductions on the calling thread; all callable synchronously. See README.md.
 */
export { type BackendInfo, backendInfo } from './backend-info';
export {
  binaryF32,
  compareF32,
  elementwiseAvailable,
  reduceF32,
  selectF32,
  unaryF32,
} from './elementwise';
export type { BinaryKernel, CompareKernel, UnaryKernel } from './elementwise-kernel';
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
