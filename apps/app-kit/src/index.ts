export {
  type Command,
  type CommandArgs,
  type CommandSpec,
  exitOnInterrupt,
  fail,
  parseCommand,
  runCommands,
  userPath,
} from './cli';
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
export { formatSeconds, type ProgressBar, type ProgressFields, progressBar } from './progress';
export { type ChartOptions, lineChart, type Series, ticks } from './svg-chart';
export { formatTextReport, type TextEpochStats, type TextReport } from './text-report';
