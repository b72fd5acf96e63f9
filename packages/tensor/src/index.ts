/**
 * `@jute/tensor`: immutable n-d arrays whose every op goes through `bind`, so the
 * transforms in `@jute/autodiff` see everything a function computes. Interpreter
 * internals (`bind`, `Trace`, the Jaxpr IR ...) are in the `@jute/tensor/core` subpath.
 * @packageDocumentation
 */

import { cpuBackend } from './backend/cpu';
import { defaultBackend } from './backend/wasm';
import { useArrayMethods } from './core/array';
import { useDefaultBackend } from './core/eval';
import { claimSingleInstance } from './instance-guard';
import { arrayMethods } from './ops/methods';
import { VERSION } from './version';

// The entry wires the layers together: the core, which imports nothing above it, gets
// the op library behind `Array`'s methods and the choice of default backend.
// `JUTE_BACKEND=cpu` forces the pure-TypeScript backend (to test both with one suite).
claimSingleInstance(VERSION);
useArrayMethods(arrayMethods);
useDefaultBackend(() =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.JUTE_BACKEND === 'cpu'
    ? cpuBackend
    : defaultBackend(),
);

export { cpuBackend } from './backend/cpu';
export { defaultBackend, wasmBackend } from './backend/wasm';
export {
  SyncReadError,
  type WebGpuBackend,
  type WebGpuOptions,
  WebGpuUnavailableError,
  webgpuBackend,
} from './backend/webgpu';
export { evalShape } from './core/abstract-trace';
export { Array, type ArrayLike, type NestedArrayLike, type ReduceOptions } from './core/array';
export type { Backend } from './core/backend';
export { type Config, config } from './core/config';
export { type DType, isFloat, promoteTypes, type TypedArray } from './core/dtype';
export {
  ConcretizationError,
  DeletedArrayError,
  DTypeError,
  FloatingPointError,
  fmtShape,
  JuteError,
  ShapeError,
  TraceError,
  ValueError,
} from './core/errors';
export { getBackend, setBackend } from './core/eval';
export type { AbstractValue } from './core/primitives';
export { broadcastShapes, normalizeAxes, normalizeAxis, type Shape, sizeOf } from './core/shape';
export type { PyTree, TreeDef } from './core/tree';
export * as tree from './core/tree';
export * from './ops/control-flow';
export * from './ops/conv';
export * from './ops/creation';
export * from './ops/elementwise';
export * from './ops/indexing';
export * from './ops/linalg';
export * from './ops/reduce';
export { variance as var } from './ops/reduce';
export * from './ops/sorting';
export * from './ops/structural';
export * from './ops/sync';
export * as random from './random';
export * from './wasm/index';
