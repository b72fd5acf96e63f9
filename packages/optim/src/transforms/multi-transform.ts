import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { broadcastPrefix } from '../internal/prefix';
import { expectState } from '../internal/state';
import { flattenMatching, type Leaf, maskTree, scatterLeaves } from '../internal/tree';

/** A tree (or prefix tree) of labels naming which transformation owns each leaf. */
export type LabelTree =
  | string
  | null
  | undefined
  | readonly LabelTree[]
  | { readonly [key: string]: LabelTree };

/** State of `multiTransform`: one inner state per label. */
export type MultiTransformState = { innerStates: { [label: string]: jt.PyTree } };

const isLabel = (x: unknown): x is string => typeof x === 'string';

/**
 * Applies a different transformation to each labelled part of the tree. Every leaf
 * needs a label that names one of `transforms`; each transformation sees the tree
 * with the other parts replaced by `null`.
 * @example
 * const opt = optim.multiTransform(
 *   { backbone: optim.setToZero(), head: optim.adam({ learningRate: 1e-3 }) },
 *   { backbone: 'backbone', head: 'head' },
 * );
 */
export function multiTransform(
  transforms: { readonly [label: string]: GradientTransformation<unknown> },
  // biome-ignore lint/suspicious/noExplicitAny: a label function accepts the user's own parameter type.
  paramLabels: LabelTree | ((params: any) => LabelTree),
): GradientTransformation<MultiTransformState> {
  const op = 'multiTransform';
  const names = Object.keys(transforms).sort();
  if (names.length === 0) throw new jt.ValueError(`${op}: needs at least one transformation`);
  const labelsOf = (where: string, tree: unknown): string[] => {
    const spec =
      typeof paramLabels === 'function'
        ? (paramLabels as (p: unknown) => LabelTree)(tree)
        : paramLabels;
    const labels = broadcastPrefix(where, 'paramLabels', spec, tree, isLabel, 'a label string');
    const unknown = labels.find((l) => !(l in transforms));
    if (unknown !== undefined) {
      const path = jt.tree.flattenWithPath<Leaf>(tree)[labels.indexOf(unknown)]![0];
      throw new jt.ValueError(
        `${where}: the leaf at '${path || '<root>'}' has label '${unknown}', which is not one of the transformations (${names.join(', ')})`,
      );
    }
    return labels;
  };
  return {
    init: (params) => {
      const labels = labelsOf(`${op}.init`, params);
      const innerStates: { [label: string]: jt.PyTree } = {};
      for (const name of names) {
        const keep = labels.map((l) => l === name);
        innerStates[name] = transforms[name]!.init(maskTree(params, keep)) as jt.PyTree;
      }
      return { innerStates };
    },
    update: (updates, state, params) => {
      const uop = `${op}.update`;
      expectState<MultiTransformState>(uop, state, ['innerStates']);
      expectState(`${uop} (state.innerStates)`, state.innerStates, names);
      const trees: [string, unknown][] = [['updates', updates]];
      if (params !== undefined) trees.push(['params', params]);
      const { def, leaves } = flattenMatching(uop, trees);
      const labels = labelsOf(uop, params ?? updates);
      const out = [...leaves[0]!] as Leaf[];
      const innerStates: { [label: string]: jt.PyTree } = {};
      for (const name of names) {
        const keep = labels.map((l) => l === name);
        const [u, s] = transforms[name]!.update(
          maskTree(updates, keep),
          state.innerStates[name],
          params === undefined ? undefined : maskTree(params, keep),
        );
        scatterLeaves(uop, out, u, keep);
        innerStates[name] = s as jt.PyTree;
      }
      return [jt.tree.unflatten(def, out) as typeof updates, { innerStates }];
    },
  };
}
