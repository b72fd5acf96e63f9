// The browser-safe core of @jute/tune: nothing here imports a Node module (a test checks).
// The file journal lives in the `@jute/tune/node` entry.
export { type AshaOptions, ashaPruner, successiveHalvingPruner } from './asha-pruner';
export { formatTuneError, type TuneError, type TuneErrorTag, tuneErrorToError } from './errors';
export { gridSampler, gridSize } from './grid-sampler';
export { type HistorySvgOptions, historySvg } from './history-svg';
export { type JournalStorage, type MemoryJournal, memoryJournal } from './journal';
export { type JournalContents, type JournalRecord, parseJournal } from './journal-format';
export { type LeaderboardOptions, leaderboard } from './leaderboard';
export { type MedianOptions, medianPruner } from './median-pruner';
export { noPruner, type Pruner } from './pruner';
export { randomSampler } from './random-sampler';
export { type Rng, rngFromKey } from './rng';
export type { Sampler, SamplerContext } from './sampler';
export {
  type ChoiceParam,
  type Condition,
  type ConfigOf,
  choice,
  type FloatParam,
  type IntParam,
  int,
  logUniform,
  type Param,
  type Primitive,
  type Space,
  uniform,
  when,
} from './space';
export {
  createStudy,
  type Objective,
  type OptimizeOptions,
  type Study,
  type StudyOptions,
  type Trial,
} from './study';
export { rankTrials, type TpeOptions, tpeSampler } from './tpe-sampler';
export type { Direction, FrozenTrial, Report, TrialState } from './trial';
export { type ValidSpace, validateSpace } from './validate-space';
