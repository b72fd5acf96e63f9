import * as jt from '@jute/tensor';
import { hingeMargin } from './internal/hinge-margin';
import { meanLastAxis } from './internal/validate';

/**
 * Squared hinge loss `max(0, 1 - t·p)²` for targets `t ∈ {-1, 1}`; averaged over the
 * last axis for rank ≥ 2 inputs.
 * @example
 * losses.squaredHinge(jt.array([0.5, -2]), jt.array([1, 1])); // [0.25, 9]
 */
export const squaredHinge = (predictions: jt.Array, targets: jt.Array): jt.Array =>
  meanLastAxis(jt.square(hingeMargin('squaredHinge', predictions, targets)));
