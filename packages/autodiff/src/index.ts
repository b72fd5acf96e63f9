/**
 * `@jute/autodiff`: composable function transforms (`jvp`, `linearize`, `vjp`, `grad`,
 * `vmap`, custom rules, `checkpoint`) over the primitives of `@jute/tensor`.
 * @packageDocumentation
 */

export { type Jaxpr, jaxprToString } from '@jute/tensor/core';
export { batchRules } from './batch-rules';
export { type CheckGradsOptions, checkGrads } from './check-grads';
export { checkpoint, customJvp, customVjp } from './custom';
export { type GradOptions, grad, hessian, jacfwd, jacrev, valueAndGrad } from './grad';
export { type ClosedProgram, type JitOptions, jit, makeJaxpr } from './jit';
export { jvp } from './jvp-api';
export { jvpRules } from './jvp-rules';
export { linearize, vjp } from './linearize';
export { transposeRules } from './transpose';
export { type AxisSpec, vmap } from './vmap';
