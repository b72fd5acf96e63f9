/**
 * `@jute/optim`: Optax-style optimizers. An optimizer is a pure
 * `GradientTransformation` (`init`, `update`) whose state is a pytree of arrays;
 * small transformations compose with `chain`, and the usual optimizers (`sgd`,
 * `adam`, `adamw` ...) are chains of them. Learning rates may be schedules.
 * @packageDocumentation
 */
export type {
  EmptyState,
  GradientTransformation,
  OptState,
  StateOf,
} from './gradient-transformation';
export type { Mask, MaskTree } from './internal/prefix';
export { type AdagradOptions, adagrad } from './optimizers/adagrad';
export { type AdamOptions, adam } from './optimizers/adam';
export { type AdamaxOptions, adamax } from './optimizers/adamax';
export { type AdamwOptions, adamw } from './optimizers/adamw';
export { type LambOptions, lamb } from './optimizers/lamb';
export { type LionOptions, lion } from './optimizers/lion';
export { nadam } from './optimizers/nadam';
export { type RmspropOptions, rmsprop } from './optimizers/rmsprop';
// Optimizers
export { type SgdOptions, sgd } from './optimizers/sgd';
export { constantSchedule } from './schedules/constant-schedule';
export {
  type CosineDecayScheduleOptions,
  cosineDecaySchedule,
} from './schedules/cosine-decay-schedule';
export {
  type CosineOnecycleScheduleOptions,
  cosineOnecycleSchedule,
} from './schedules/cosine-onecycle-schedule';
export { type ExponentialDecayOptions, exponentialDecay } from './schedules/exponential-decay';
export { joinSchedules } from './schedules/join-schedules';
export { type LinearScheduleOptions, linearSchedule } from './schedules/linear-schedule';
export {
  type BoundariesAndScales,
  type PiecewiseConstantScheduleOptions,
  piecewiseConstantSchedule,
} from './schedules/piecewise-constant-schedule';
export {
  type PiecewiseInterpolateScheduleOptions,
  piecewiseInterpolateSchedule,
} from './schedules/piecewise-interpolate-schedule';
export {
  type PolynomialScheduleOptions,
  polynomialSchedule,
} from './schedules/polynomial-schedule';
// Schedules
export {
  makeSchedule,
  type ScalarOrSchedule,
  type Schedule,
  type ScheduleLike,
} from './schedules/schedule';
export {
  type WarmupCosineDecayScheduleOptions,
  warmupCosineDecaySchedule,
} from './schedules/warmup-cosine-decay-schedule';
export { type AddDecayedWeightsOptions, addDecayedWeights } from './transforms/add-decayed-weights';
export {
  type ApplyIfFiniteOptions,
  type ApplyIfFiniteState,
  applyIfFinite,
} from './transforms/apply-if-finite';
export { applyUpdates } from './transforms/apply-updates';
// Transformations
export { type ChainState, chain } from './transforms/chain';
export { clip } from './transforms/clip';
export { clipByGlobalNorm } from './transforms/clip-by-global-norm';
export { freeze } from './transforms/freeze';
export { globalNorm } from './transforms/global-norm';
export { identity } from './transforms/identity';
export {
  type InjectableOptions,
  type InjectHyperparamsOptions,
  type InjectHyperparamsState,
  injectHyperparams,
} from './transforms/inject-hyperparams';
export { type MaskedState, masked } from './transforms/masked';
export {
  type MultiStepsOptions,
  type MultiStepsState,
  multiSteps,
  multiStepsHasUpdated,
} from './transforms/multi-steps';
export {
  type LabelTree,
  type MultiTransformState,
  multiTransform,
} from './transforms/multi-transform';
export { scale } from './transforms/scale';
export {
  type ScaleByAdagradOptions,
  type ScaleByAdagradState,
  scaleByAdagrad,
} from './transforms/scale-by-adagrad';
export {
  type ScaleByAdamOptions,
  type ScaleByAdamState,
  scaleByAdam,
} from './transforms/scale-by-adam';
export {
  type ScaleByAdamaxOptions,
  type ScaleByAdamaxState,
  scaleByAdamax,
} from './transforms/scale-by-adamax';
export { scaleByLearningRate } from './transforms/scale-by-learning-rate';
export {
  type ScaleByLionOptions,
  type ScaleByLionState,
  scaleByLion,
} from './transforms/scale-by-lion';
export {
  type ScaleByRmsOptions,
  type ScaleByRmsState,
  scaleByRms,
} from './transforms/scale-by-rms';
export { type ScaleByScheduleState, scaleBySchedule } from './transforms/scale-by-schedule';
export {
  type ScaleByStddevOptions,
  type ScaleByStddevState,
  scaleByStddev,
} from './transforms/scale-by-stddev';
export {
  type ScaleByTrustRatioOptions,
  scaleByTrustRatio,
} from './transforms/scale-by-trust-ratio';
export { setToZero } from './transforms/set-to-zero';
export { scaleByMomentum, type TraceOptions, type TraceState, trace } from './transforms/trace';
