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
import { inChild, layerShapeError } from './errors';
import type { Layer } from './layer';

/** Runs every child on the same input; the results, in order, plus the collected trees. */
function runAll(
  children: readonly NamedChild[],
  params: ChildTrees,
  x: jt.Array,
  o: { state?: ChildTrees; key?: jt.Array; training?: boolean } | undefined,
) {
  const state: ChildTrees = {};
  const ys = children.map(({ name, layer }, i) => {
    const k = childKey(o?.key, i);
    const r = inChild(name, () =>
      layer.apply(childTree(params, name), x, {
        state: childTree(o?.state, name),
        training: o?.training ?? false,
        ...(k ? { key: k } : {}),
      }),
    );
    putChild(state, name, r.state);
    return r.y;
  });
  return { ys, state };
}

function initAll(children: readonly NamedChild[], key: jt.Array, inputShape: jt.Shape) {
  const keys = children.length ? jt.random.split(key, children.length) : [];
  const params: ChildTrees = {};
  const state: ChildTrees = {};
  const shapes = children.map(({ name, layer }, i) => {
    const r = inChild(name, () => layer.init(keys[i]!, inputShape));
    putChild(params, name, r.params);
    putChild(state, name, r.state);
    return r.outputShape;
  });
  return { params, state, shapes };
}

/**
 * Runs layers side by side on the same input and concatenates their outputs on the last
 * axis (the other axes must agree). Children are named as in `sequential`.
 * @example
 * const inception = nn.parallel(nn.conv2d({ features: 8, kernelSize: 1 }), nn.conv2d({ features: 8, kernelSize: 3 }));
 * // [n, h, w, c] → [n, h, w, 16]
 */
export function parallel<const Ls extends readonly LayerLike[]>(
  ...layers: Ls
): Layer<ChildTreesOf<Ls, 'params'>, ChildTreesOf<Ls, 'state'>, object, 'parallel'> {
  const children = nameChildren('parallel', layers);
  if (children.length === 0) throw new jt.ValueError('parallel: needs at least one layer');
  const layer: Layer<ChildTrees, ChildTrees, object, 'parallel'> = {
    name: 'parallel',
    init(key, inputShape) {
      const { params, state, shapes } = initAll(children, key, inputShape);
      const first = shapes[0]!;
      for (const [i, s] of shapes.entries()) {
        if (s.length !== first.length || s.slice(0, -1).some((d, j) => d !== first[j])) {
          throw layerShapeError(
            'parallel',
            `outputs ${shapes.map((t) => jt.fmtShape(t)).join(', ')} differ before the last axis (child ${children[i]!.name})`,
          );
        }
      }
      const outputShape = [...first.slice(0, -1), shapes.reduce((n, s) => n + s[s.length - 1]!, 0)];
      return { params, state, outputShape };
    },
    apply(params, x, o) {
      const { ys, state } = runAll(children, params, x, o);
      return { y: ys.length === 1 ? ys[0]! : jt.concatenate(ys, -1), state };
    },
  };
  // The trees built above have exactly the keys and subtrees the types compute.
  return layer as Layer<never, never, object, 'parallel'> as Layer<
    ChildTreesOf<Ls, 'params'>,
    ChildTreesOf<Ls, 'state'>,
    object,
    'parallel'
  >;
}

/**
 * Like `parallel`, but returns the outputs as a tuple instead of joining them: `init`
 * gives `outputShapes` and `apply` gives `y` as an array of arrays (so a branch ends a
 * chain; feed its outputs to other layers yourself).
 * @example
 * const heads = nn.branch(nn.dense({ features: 10 }), nn.dense({ features: 1 }));
 * const { params } = heads.init(key, [8, 64]);
 * const { y: [logits, value] } = heads.apply(params, features);
 */
export interface Branch<P = ChildTrees, S = ChildTrees> {
  readonly name: string;
  init(key: jt.Array, inputShape: jt.Shape): { params: P; state: S; outputShapes: number[][] };
  apply(
    params: P,
    x: jt.Array,
    options?: { state?: S; key?: jt.Array; training?: boolean },
  ): { y: jt.Array[]; state: S };
}

/**
 * Runs layers side by side on one input and returns every output (see `Branch`).
 * @example const heads = nn.branch(nn.named('policy', nn.dense({ features: 4 })), nn.named('value', nn.dense({ features: 1 })));
 */
export function branch<const Ls extends readonly LayerLike[]>(
  ...layers: Ls
): Branch<ChildTreesOf<Ls, 'params'>, ChildTreesOf<Ls, 'state'>> {
  const children = nameChildren('branch', layers);
  const layer: Branch = {
    name: 'branch',
    init(key, inputShape) {
      const { params, state, shapes } = initAll(children, key, inputShape);
      return { params, state, outputShapes: shapes };
    },
    apply(params, x, o) {
      const { ys, state } = runAll(children, params, x, o);
      return { y: ys, state };
    },
  };
  return layer as Branch<never, never> as Branch<
    ChildTreesOf<Ls, 'params'>,
    ChildTreesOf<Ls, 'state'>
  >;
}
