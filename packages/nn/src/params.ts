import * as jt from '@jute/tensor';

/** A tree of booleans matching a parameter tree (or a prefix of it: a boolean covers a whole subtree). */
export type Mask = boolean | { readonly [key: string]: Mask } | readonly Mask[];

/** Chooses leaves by their dotted path (`'conv2d_0.kernel'`) and value. */
export type LeafPredicate = (path: string, leaf: jt.Array | number | boolean) => boolean;

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof jt.Array);

/**
 * The number of scalar parameters in a tree (the sum of its leaves' sizes).
 * @example nn.countParams(model.init(key, [1, 784]).params) // 101770 for 784→128→10
 */
export function countParams(tree: unknown): number {
  return jt.tree
    .leaves<jt.Array | number | boolean>(tree)
    .reduce<number>((n, l) => n + (l instanceof jt.Array ? l.size : 1), 0);
}

function select(tree: unknown, mask: Mask, path: string): [unknown, unknown] {
  if (typeof mask === 'boolean') return mask ? [tree, nullLike(tree)] : [nullLike(tree), tree];
  if (Array.isArray(mask)) {
    if (!Array.isArray(tree) || tree.length !== mask.length)
      throw new jt.ValueError(
        `partition: the mask has a list of ${mask.length} at '${path || '<root>'}', the tree does not`,
      );
    const parts = tree.map((t, i) => select(t, mask[i]!, path ? `${path}.${i}` : String(i)));
    return [parts.map((p) => p[0]), parts.map((p) => p[1])];
  }
  if (!isPlainObject(tree))
    throw new jt.ValueError(
      `partition: the mask has an object at '${path || '<root>'}', the tree does not`,
    );
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = {};
  for (const k of Object.keys(tree)) {
    const m = (mask as Record<string, Mask>)[k];
    if (m === undefined)
      throw new jt.ValueError(
        `partition: the mask has no entry for '${path ? `${path}.` : ''}${k}'`,
      );
    [a[k], b[k]] = select(tree[k], m, path ? `${path}.${k}` : k);
  }
  return [a, b];
}

/** The same structure with every leaf replaced by null (null holds no leaves in a pytree). */
const nullLike = (tree: unknown): unknown => jt.tree.map(() => null, tree);

/**
 * Splits a tree into `[selected, rest]`, both with the original structure; a leaf not in a
 * part is `null` there. Select by a predicate on each leaf's dotted path or by a mask tree
 * (a boolean may stand for a whole subtree). `combine` puts the parts back together. Use it
 * to freeze layers: differentiate only the selected part.
 * @example
 * const [trainable, frozen] = nn.partition(params, { conv2d_0: false, dense_4: true });
 * const g = grad((t) => loss(nn.combine(t, frozen), batch))(trainable);
 */
export function partition<T>(tree: T, predicateOrMask: LeafPredicate | Mask): [T, T] {
  if (typeof predicateOrMask === 'function') {
    const picks = jt.tree
      .flattenWithPath<jt.Array | number | boolean>(tree)
      .map(([p, l]) => predicateOrMask(p, l));
    let i = 0;
    let j = 0;
    const a = jt.tree.map((l) => (picks[i++] ? l : null), tree);
    const b = jt.tree.map((l) => (picks[j++] ? null : l), tree);
    return [a as T, b as T];
  }
  const [a, b] = select(tree, predicateOrMask, '');
  return [a as T, b as T];
}

/**
 * Merges trees of one structure made by `partition`: each leaf comes from the first tree
 * where it is not null.
 * @example const params = nn.combine(trainable, frozen);
 */
export function combine<T>(...trees: readonly T[]): T {
  const merge = (xs: unknown[], path: string): unknown => {
    const present = xs.filter((x) => x !== null && x !== undefined);
    if (present.length === 0) return xs[0] ?? null;
    const first = present[0];
    if (Array.isArray(first)) {
      return first.map((_, i) =>
        merge(
          xs.map((x) => (Array.isArray(x) ? x[i] : null)),
          `${path}.${i}`,
        ),
      );
    }
    if (isPlainObject(first)) {
      const keys = new Set(present.flatMap((x) => Object.keys(x as object)));
      return Object.fromEntries(
        [...keys].map((k) => [
          k,
          merge(
            xs.map((x) => (isPlainObject(x) ? x[k] : null)),
            `${path}.${k}`,
          ),
        ]),
      );
    }
    return first;
  };
  if (trees.length === 0) throw new jt.ValueError('combine: needs at least one tree');
  return merge([...trees], '') as T;
}

/**
 * The global L2 norm of every leaf of a tree, `sqrt(Σ x²)`, as a scalar array
 * (differentiable, e.g. for a weight penalty).
 * @example const norm = nn.treeL2Norm(grads).item();
 */
export function treeL2Norm(tree: unknown): jt.Array {
  const leaves = jt.tree.leaves<jt.Array | number>(tree);
  if (leaves.length === 0) return jt.zeros([]);
  const squares = leaves.map((l) => jt.sum(jt.square(jt.asArray(l))));
  return jt.sqrt(squares.reduce((a, b) => jt.add(a, b)));
}
