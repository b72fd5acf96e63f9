import * as jt from '@jute/tensor';
import { castLike, concreteValues, requireFloat, requireSameShape } from './validate';

/** Hinge targets are ±1; 0/1 labels are refused rather than silently treated as margins. */
function requireSignTargets(fn: string, targets: jt.Array): void {
  const v = concreteValues(targets);
  if (v === undefined) return;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 1 && v[i] !== -1) {
      throw new jt.ValueError(
        `${fn}: targets must be -1 or 1, got ${v[i]} at flat index ${i} of shape ${jt.fmtShape(targets.shape)} (map 0/1 labels with 2·y - 1)`,
      );
    }
  }
}

/** `max(0, 1 - t·p)` elementwise, before the mean over the last axis. */
export function hingeMargin(fn: string, predictions: jt.Array, targets: jt.Array): jt.Array {
  requireFloat(fn, 'predictions', predictions);
  requireSameShape(fn, 'predictions', predictions, 'targets', targets);
  requireSignTargets(fn, targets);
  return jt.relu(jt.sub(1, jt.mul(predictions, castLike(targets, predictions))));
}
