import type * as jt from '@jute/tensor';
import { type AverageOptions, precisionFromConfusion } from '../from-confusion';
import { confusionBased } from './confusion-matrix';
import type { StreamingMetric } from './streaming-metric';

/** Options of the streaming precision, recall and F1: the class count is needed up front. */
export interface StreamingClassificationOptions extends AverageOptions {
  numClasses: number;
}

/**
 * Streaming precision: accumulates the confusion matrix, averages at `compute`.
 * @example
 * const p = streaming.precision({ average: 'macro', numClasses: 10 });
 */
export const precision = (options: StreamingClassificationOptions): StreamingMetric<jt.Array> =>
  confusionBased('streaming.precision', options.numClasses, (cm) =>
    precisionFromConfusion(cm, options),
  );
