import type * as jt from '@jute/tensor';
import { f1FromConfusion } from '../from-confusion';
import { confusionBased } from './confusion-matrix';
import type { StreamingClassificationOptions } from './precision';
import type { StreamingMetric } from './streaming-metric';

/**
 * Streaming F1: accumulates the confusion matrix, averages at `compute`.
 * @example
 * const f = streaming.f1({ average: 'macro', numClasses: 10 });
 */
export const f1 = (options: StreamingClassificationOptions): StreamingMetric<jt.Array> =>
  confusionBased('streaming.f1', options.numClasses, (cm) => f1FromConfusion(cm, options));
