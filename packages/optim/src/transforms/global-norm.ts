import * as jt from '@jute/tensor';
import type { Leaf } from '../internal/tree';

/**
 * The L2 norm of all leaves of a pytree taken together, as a scalar array.
 * @example optim.globalNorm({ a: jt.array([3]), b: jt.array([4]) }).item(); // 5
 */
export function globalNorm(tree: unknown): jt.Array {
  let total: jt.Array | undefined;
  for (const leaf of jt.tree.leaves<Leaf>(tree)) {
    const s = jt.sum(jt.square(leaf));
    total = total === undefined ? s : jt.add(total, s);
  }
  return total === undefined ? jt.scalar(0) : jt.sqrt(total);
}
