import * as jt from '@jute/tensor';
import type { ChildTrees, ChildTreesOf } from './child-trees';
import {
  childKey,
  childTree,
  type LayerLike,
  type NamedChild,
  nameChildren,
  putChild,
} from './children';
import { inChild } from './errors';
import type { Layer } from './layer';

export type { ChildTrees } from './child-trees';

/**
 * `sequential`'s layer, which also lists its named children. `P` and `S` are its parameter
 * and state trees, typed from the children (see `ChildTreesOf`). Written without type
 * arguments (`nn.Sequential`, e.g. for a model chosen at run time) it accepts any
 * sequential model and any parameter tree.
 */
// biome-ignore lint/suspicious/noExplicitAny: the unparameterised form stands for every model.
export interface Sequential<P = any, S = any> extends Layer<P, S, object, 'sequential'> {
  readonly children: readonly NamedChild[];
}

/**
 * Chains layers: each one's output is the next one's input. Parameters and state are
 * trees keyed by child: a `named` child keeps its name, any other is `<kind>_<position>`
 * (position counts all children from 0, so inserting a layer renames those after it:
 * name the layers you checkpoint). Children without parameters or state are left out.
 * `init` splits the key per child and infers each input shape from the previous layer;
 * `apply` folds the key per child. Plain functions are accepted and wrapped with `fn`.
 * @example
 * const model = nn.sequential(
 *   nn.conv2d({ features: 32, kernelSize: [3, 3] }), nn.relu, nn.maxPool2d({ window: [2, 2] }),
 *   nn.flatten(), nn.dense({ features: 10 }));
 * const { params, state } = model.init(key, [64, 28, 28, 1]); // params.conv2d_0.kernel, params.dense_4.bias
 * const { y: logits, state: newState } = model.apply(params, images, { state, key, training: true });
 */
export function sequential<const Ls extends readonly LayerLike[]>(
  ...layers: Ls
): Sequential<ChildTreesOf<Ls, 'params'>, ChildTreesOf<Ls, 'state'>> {
  const children = nameChildren('sequential', layers);
  const layer: Sequential = {
    name: 'sequential',
    children,
    init(key: jt.Array, inputShape: jt.Shape) {
      const keys = children.length ? jt.random.split(key, children.length) : [];
      const params: ChildTrees = {};
      const state: ChildTrees = {};
      let shape = [...inputShape];
      children.forEach(({ name, layer }, i) => {
        const r = inChild(name, () => layer.init(keys[i]!, shape));
        putChild(params, name, r.params);
        putChild(state, name, r.state);
        shape = r.outputShape;
      });
      return { params, state, outputShape: shape };
    },
    apply(params, x, o) {
      const state: ChildTrees = {};
      let y = x;
      children.forEach(({ name, layer }, i) => {
        const k = childKey(o?.key, i);
        const r = inChild(name, () =>
          layer.apply(childTree(params, name), y, {
            state: childTree(o?.state, name),
            training: o?.training ?? false,
            ...(k ? { key: k } : {}),
          }),
        );
        y = r.y;
        putChild(state, name, r.state);
      });
      return { y, state };
    },
  };
  // The trees built above have exactly the keys and subtrees the types compute.
  return layer as Sequential<never, never> as Sequential<
    ChildTreesOf<Ls, 'params'>,
    ChildTreesOf<Ls, 'state'>
  >;
}
