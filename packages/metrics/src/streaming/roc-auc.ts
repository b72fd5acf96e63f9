import * as jt from '@jute/tensor';
import { labelIndices } from '../internal/validate';
import { rocAuc as rocAucOneShot } from '../roc-auc';
import type { StreamingMetric } from './streaming-metric';

/** Every score and label seen so far (exact AUC needs them all: memory grows with the epoch). */
export interface RocAucState {
  readonly scores: jt.Array;
  readonly labels: jt.Array;
}

/**
 * Streaming ROC AUC, exact: the state concatenates the scores (float32) and labels
 * (int32), and `compute` runs the one-shot `rocAuc`. Memory is O(examples).
 * @example
 * const auc = streaming.rocAuc();
 * s = auc.update(s, jt.sigmoid(logits), labels);
 */
export const rocAuc = (): StreamingMetric<RocAucState> => ({
  init: () => ({ scores: jt.zeros([0]), labels: jt.zeros([0], { dtype: 'int32' }) }),
  update: (s, scores, labels) => {
    const l = labelIndices('streaming.rocAuc', labels);
    if (scores.ndim !== 1 || l.ndim !== 1 || scores.shape[0] !== l.shape[0]) {
      throw new jt.ShapeError(
        `streaming.rocAuc: scores ${jt.fmtShape(scores.shape)} and labels ${jt.fmtShape(l.shape)} must both be [batch]`,
      );
    }
    return {
      scores: jt.concatenate([s.scores, jt.cast(scores, 'float32')]),
      labels: jt.concatenate([s.labels, l]),
    };
  },
  merge: (a, b) => ({
    scores: jt.concatenate([a.scores, b.scores]),
    labels: jt.concatenate([a.labels, b.labels]),
  }),
  compute: (s) => rocAucOneShot(s.scores, s.labels),
});
