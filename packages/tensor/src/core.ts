/**
 * `@jute/tensor/core`: what transform and backend authors need. The interpreter stack
 * (`bind`, `Trace`, `Tracer`, `newMain`), the closed set of primitives with their shape
 * rules, the Jaxpr IR (`Jaxpr`, `evalJaxpr`, `typecheckJaxpr`, `jaxprToString`) and the
 * backend interface. Programs that only use arrays import `@jute/tensor` instead.
 * @packageDocumentation
 */

export { type ArenaPlan, planArena } from './backend/compiler/arena';
export {
  type FusedGroup,
  type FusedInput,
  type FusedReduction,
  type LoadPattern,
  planFusion,
  type Step,
} from './backend/compiler/fusion';
export {
  type ArenaKernels,
  compileProgram,
  type FusedRunner,
  type InPlaceKernel,
  type Operand,
  type ProgramOptions,
  planProgram,
} from './backend/compiler/program';
export { hoistScanAccumulators } from './backend/compiler/scan-accumulators';
export { simplify } from './backend/compiler/simplify';
export { sinkSlices } from './backend/compiler/sink-slices';
export { evalShape, traceClosure } from './core/abstract-trace';
export { Array, ConcreteArray, deleteDonated } from './core/array';
export type {
  Backend,
  CompileOptions,
  Kernel,
  KernelPrimitive,
  Program,
} from './core/backend';
export { evalPrimitive, getBackend, interpretJaxpr, setBackend } from './core/eval';
export {
  type ClosedJaxpr,
  evalJaxpr,
  type Jaxpr,
  type JaxprEqn,
  nestedJaxprs,
  typecheckJaxpr,
  Var,
} from './core/jaxpr';
export { jaxprToString } from './core/jaxpr-format';
export * from './core/primitives';
export { shapeRules } from './core/shape-rules';
export {
  bind,
  bind1,
  type MainTrace,
  newMain,
  stackDepth,
  Trace,
  Tracer,
  unrollScan,
} from './core/trace';
