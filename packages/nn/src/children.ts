import * as jt from '@jute/tensor';
import { fn } from './fn';
import { type AnyLayer, EMPTY, isEmptyTree, type Params } from './layer';

/** What combinators accept: a layer, or a plain function of one array (wrapped with `fn`). */
export type LayerLike = AnyLayer | ((x: jt.Array) => jt.Array);

/** A combinator's child and the key it has in the parameter and state trees. */
export interface NamedChild {
  readonly name: string;
  readonly layer: AnyLayer;
}

const isLayer = (l: LayerLike): l is AnyLayer =>
  (typeof l === 'object' || typeof l === 'function') && l !== null && 'init' in l && 'apply' in l;

/**
 * Names children the way `sequential` and `parallel` do: a `named` layer keeps its name,
 * any other becomes `<kind>_<position>` (position counts every child from 0), so
 * `sequential(conv2d(...), relu, flatten(), dense(...))` has parameters `conv2d_0` and `dense_3`.
 */
export function nameChildren(kind: string, layers: readonly LayerLike[]): NamedChild[] {
  const out = layers.map((l, i) => {
    const layer = isLayer(l) ? l : fn(l, l.name || 'fn');
    return {
      name: layer.explicitName && layer.name ? layer.name : `${layer.name ?? 'layer'}_${i}`,
      layer,
    };
  });
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c.name))
      throw new jt.ValueError(
        `${kind}: two children are named '${c.name}'; give them different names with nn.named`,
      );
    seen.add(c.name);
  }
  return out;
}

/** A child's subtree of a combinator's parameters or state (`{}` when it has none). */
export function childTree(tree: unknown, name: string): Params {
  if (tree === undefined || tree === null) return EMPTY;
  const sub = (tree as Record<string, Params>)[name];
  return sub === undefined ? EMPTY : sub;
}

/** Adds a child's subtree unless it holds no leaves (parameter-free layers leave no trace). */
export function putChild(tree: Record<string, Params>, name: string, sub: Params): void {
  if (!isEmptyTree(sub)) tree[name] = sub;
}

/** The `i`-th child's PRNG key: a fold of the parent's key, so children never share randomness. */
export const childKey = (key: jt.Array | undefined, i: number): jt.Array | undefined =>
  key === undefined ? undefined : jt.random.foldIn(key, i);
