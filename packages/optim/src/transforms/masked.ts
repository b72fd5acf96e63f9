import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { type Mask, resolveMask } from '../internal/prefix';
import { expectState } from '../internal/state';
import { flattenMatching, type Leaf, maskTree, scatterLeaves } from '../internal/tree';

/** State of `masked`: the inner transformation's state over the selected leaves. */
export type MaskedState<S> = { innerState: S };

/**
 * Applies `inner` only to the leaves where `mask` is true; the other updates pass
 * through unchanged (as in Optax). The inner transformation sees the tree with
 * unselected leaves replaced by `null`, so its state only holds selected leaves.
 * To freeze parameters use `freeze(mask)` (or `masked(setToZero(), mask)`).
 * @example
 * const opt = optim.chain(optim.masked(optim.addDecayedWeights(1e-4), { w: true, b: false }), optim.sgd({ learningRate: 0.1 }));
 */
export function masked<S>(
  inner: GradientTransformation<S>,
  mask: Mask,
): GradientTransformation<MaskedState<S>> {
  const op = 'masked';
  return {
    init: (params) => {
      const keep = resolveMask(`${op}.init`, mask, params);
      return { innerState: inner.init(maskTree(params, keep)) };
    },
    update: (updates, state, params) => {
      const uop = `${op}.update`;
      expectState<MaskedState<S>>(uop, state, ['innerState']);
      const trees: [string, unknown][] = [['updates', updates]];
      if (params !== undefined) trees.push(['params', params]);
      const { def, leaves } = flattenMatching(uop, trees);
      const keep = resolveMask(uop, mask, params ?? updates);
      const [u, s] = inner.update(
        maskTree(updates, keep),
        state.innerState,
        params === undefined ? undefined : maskTree(params, keep),
      );
      const out = [...leaves[0]!] as Leaf[];
      scatterLeaves(uop, out, u, keep);
      return [jt.tree.unflatten(def, out) as typeof updates, { innerState: s }];
    },
  };
}
