/**
 * `@jute/metrics`: classification and regression metrics taking `(predictions, labels)`,
 * one-shot and streaming (`streaming.*`: pure `init/update/merge/compute`).
 * @packageDocumentation
 */
export { accuracy } from './accuracy';
export { type ConfusionMatrixOptions, confusionMatrix } from './confusion-matrix';
export { f1 } from './f1';
export {
  type Average,
  type AverageOptions,
  accuracyFromConfusion,
  f1FromConfusion,
  precisionFromConfusion,
  recallFromConfusion,
} from './from-confusion';
export type { ClassificationOptions } from './internal/classification';
export { meanSquaredError } from './mean-squared-error';
export { perplexity } from './perplexity';
export { precision } from './precision';
export { r2Score } from './r2-score';
export { recall } from './recall';
export { rocAuc } from './roc-auc';
export * as streaming from './streaming/index';
export { type TopKAccuracyOptions, topKAccuracy } from './top-k-accuracy';
