import type * as jt from '@jute/tensor';
import { hingeMargin } from './internal/hinge-margin';
import { meanLastAxis } from './internal/validate';

/**
 * Hinge loss `max(0, 1 - t·p)` for targets `t ∈ {-1, 1}` and raw scores `p`; averaged
 * over the last axis for rank ≥ 2 inputs. Other target values throw `ValueError`
 * (map 0/1 labels with `2·y - 1`).
 * @example
 * losses.hinge(jt.array([0.5, -2]), jt.array([1, 1])); // [0.5, 3]
 */
export const hinge = (predictions: jt.Array, targets: jt.Array): jt.Array =>
  meanLastAxis(hingeMargin('hinge', predictions, targets));
