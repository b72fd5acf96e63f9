import type * as jt from '@jute/tensor';
import { recallFromConfusion } from '../from-confusion';
import { confusionBased } from './confusion-matrix';
import type { StreamingClassificationOptions } from './precision';
import type { StreamingMetric } from './streaming-metric';

/**
 * Streaming recall: accumulates the confusion matrix, averages at `compute`.
 * @example
 * const r = streaming.recall({ average: 'weighted', numClasses: 10 });
 */
export const recall = (options: StreamingClassificationOptions): StreamingMetric<jt.Array> =>
  confusionBased('streaming.recall', options.numClasses, (cm) => recallFromConfusion(cm, options));
