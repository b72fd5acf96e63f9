/**
 * `@jute/tensor`: immutable n-d arrays whose every op goes through `bind`, so the
 * transforms in `@jute/autodiff` see everything a function computes.
 * @packageDocumentation
 */

export type { Backend, Kernel, KernelPrimitive } from './backend/backend';
export { cpuBackend } from './backend/cpu';
export { defaultBackend, wasmBackend } from './backend/wasm';
export { abstractEval } from './core/abstract-eval';
export { evalShape } from './core/abstract-trace';
export type { MainTrace } from './core/array';
export {
  Array,
  bind,
  bind1,
  ConcreteArray,
  newMain,
  stackDepth,
  Trace,
  Tracer,
} from './core/array';
export { getBackend, runScan, setBackend } from './core/eval';
export { type DType, isFloat, promoteTypes, type TypedArray } from './dtype';
export { DTypeError, fmtShape, JuteError, ShapeError, TraceError, ValueError } from './errors';
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
export * from './primitives';
export * as random from './random';
export { broadcastShapes, normalizeAxes, normalizeAxis, type Shape, sizeOf } from './shape';
export type { PyTree, TreeDef } from './tree';
export * as tree from './tree';
export * from './wasm/index';
