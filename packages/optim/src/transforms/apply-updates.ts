import * as jt from '@jute/tensor';
import { type Leaf, mapMatching } from '../internal/tree';

/**
 * Returns `params + updates` leafwise, each result keeping its parameter's dtype.
 * Throws `ValueError` / `ShapeError` naming the path when the trees differ.
 * @example
 * const [updates, nextState] = opt.update(grads, state, params);
 * params = optim.applyUpdates(params, updates);
 */
export function applyUpdates<T>(params: T, updates: T): T {
  return mapMatching(
    'applyUpdates',
    [
      ['params', params],
      ['updates', updates],
    ],
    (p: Leaf, u: Leaf) => {
      const out = jt.add(p, u);
      return p instanceof jt.Array && out.dtype !== p.dtype ? jt.cast(out, p.dtype) : out;
    },
  ) as T;
}
