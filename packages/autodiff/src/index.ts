/**
 * `@jute/autodiff`: composable function transforms (`jvp`, `linearize`, `vjp`, `grad`,
 * `vmap`, custom rules, `checkpoint`) over the primitives of `@jute/tensor`.
 * @packageDocumentation
 */
export { jvp } from './jvp-api';
export { linearize, vjp } from './linearize';
export { grad, valueAndGrad, jacfwd, jacrev, hessian, type GradOptions } from './grad';
export { vmap, type AxisSpec } from './vmap';
export { customJvp, customVjp, checkpoint } from './custom';
export { checkGrads, type CheckGradsOptions } from './check-grads';
export { jvpRules } from './jvp-rules';
export { transposeRules } from './transpose';
export { batchRules } from './batch-rules';
export { type Jaxpr, jaxprToString } from './jaxpr';
