/**
 * Streaming metrics: `{ init, update, merge, compute }` over pytree states, for
 * epoch-level results.
 */
export { accuracy } from './accuracy';
export { confusionMatrix } from './confusion-matrix';
export type { CounterState } from './counter-state';
export { f1 } from './f1';
export { type MeanOptions, type MeanState, mean } from './mean';
export { meanSquaredError, type SquaredErrorState } from './mean-squared-error';
export { perplexity } from './perplexity';
export { precision, type StreamingClassificationOptions } from './precision';
export { type R2State, r2Score, type StreamingR2Options } from './r2-score';
export { recall } from './recall';
export { type RocAucState, rocAuc } from './roc-auc';
export type { StreamingMetric } from './streaming-metric';
export { topKAccuracy } from './top-k-accuracy';
