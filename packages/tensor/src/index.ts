/**
 * `@jute/tensor`: immutable n-d arrays whose every op goes through `bind`, so the
 * transforms in `@jute/autodiff` see everything a function computes.
 * @packageDocumentation
 */
export { Array, ConcreteArray, Trace, Tracer, bind, bind1, newMain, stackDepth } from './core/array';
export type { MainTrace } from './core/array';
export { abstractEval } from './core/abstract-eval';
export { evalShape } from './core/abstract-trace';
export { getBackend, setBackend, runScan } from './core/eval';
export type { Backend, Kernel, KernelPrimitive } from './backend/backend';
export { cpuBackend, setMatmulKernel } from './backend/cpu';
export { type DType, type TypedArray, isFloat, promoteTypes } from './dtype';
export { DTypeError, JuteError, ShapeError, TraceError, ValueError, fmtShape } from './errors';
export * from './primitives';
export { type Shape, broadcastShapes, normalizeAxis, normalizeAxes, sizeOf } from './shape';
export * from './ops/creation';
export * from './ops/elementwise';
export * from './ops/reduce';
export { variance as var } from './ops/reduce';
export * from './ops/structural';
export * from './ops/indexing';
export * from './ops/sorting';
export * from './ops/linalg';
export * from './ops/conv';
export * from './ops/control-flow';
export * as random from './random';
export * as tree from './tree';
export type { PyTree, TreeDef } from './tree';
