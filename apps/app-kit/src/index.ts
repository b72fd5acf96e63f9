export { type CommandArgs, type CommandSpec, fail, parseCommand, userPath } from './cli';
export { centreDigit } from './digit';
export {
  DivergedError,
  describeNonFinite,
  firstNonFinite,
  type NonFinite,
  requireFinite,
  requireFiniteLoss,
  requireFiniteTree,
} from './finite';
export {
  type FlagSpec,
  type FlagSpecs,
  type Flags,
  type ParsedArgs,
  parseFlags,
  type UsageError,
  usage,
} from './flags';
export { type ProgressBar, type ProgressFields, progressBar } from './progress';
export { type ChartOptions, lineChart, type Series, ticks } from './svg-chart';
