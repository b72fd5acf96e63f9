import * as jt from '@jute/tensor';

export type Leaf = jt.Array | number | boolean;

const shapeOf = (x: Leaf): readonly number[] => (x instanceof jt.Array ? x.shape : []);
const where = (path: string): string => (path === '' ? '<root>' : path);

/** Explains how two structures differ by naming the first path present in one only. */
function describeMismatch(aName: string, a: unknown, bName: string, b: unknown): string {
  const pa = jt.tree.flattenWithPath<Leaf>(a).map(([p]) => p);
  const pb = jt.tree.flattenWithPath<Leaf>(b).map(([p]) => p);
  const sb = new Set(pb);
  const sa = new Set(pa);
  const onlyA = pa.find((p) => !sb.has(p));
  if (onlyA !== undefined) return `'${where(onlyA)}' is in ${aName} but not in ${bName}`;
  const onlyB = pb.find((p) => !sa.has(p));
  if (onlyB !== undefined) return `'${where(onlyB)}' is in ${bName} but not in ${aName}`;
  const da = jt.tree.defToString(jt.tree.structure(a));
  const db = jt.tree.defToString(jt.tree.structure(b));
  return `${aName} is ${da} but ${bName} is ${db}`;
}

/**
 * Flattens pytrees that must share one structure and leaf shapes (the first is the
 * reference). A mismatch throws `ValueError` (structure) or `ShapeError` (shapes)
 * naming the first offending path.
 */
export function flattenMatching(
  op: string,
  trees: readonly (readonly [name: string, tree: unknown])[],
): { def: jt.TreeDef; leaves: Leaf[][] } {
  const [refName, ref] = trees[0]!;
  const [refLeaves, def] = jt.tree.flatten<Leaf>(ref);
  const leaves = [refLeaves];
  for (const [name, tree] of trees.slice(1)) {
    const [ls, d] = jt.tree.flatten<Leaf>(tree);
    if (!jt.tree.defsEqual(def, d)) {
      throw new jt.ValueError(
        `${op}: ${refName} and ${name} do not match: ${describeMismatch(refName, ref, name, tree)}`,
      );
    }
    for (let i = 0; i < ls.length; i++) {
      const sa = shapeOf(refLeaves[i]!);
      const sb = shapeOf(ls[i]!);
      if (sa.length !== sb.length || sa.some((n, k) => n !== sb[k])) {
        const path = jt.tree.flattenWithPath<Leaf>(ref)[i]![0];
        throw new jt.ShapeError(
          `${op}: ${refName} at '${where(path)}' has shape ${jt.fmtShape(sa)} but ${name} has ${jt.fmtShape(sb)}`,
        );
      }
    }
    leaves.push(ls);
  }
  return { def, leaves };
}

/** Applies `f` leafwise to trees already checked by `flattenMatching`. */
export function mapMatching<R>(
  op: string,
  trees: readonly (readonly [name: string, tree: unknown])[],
  f: (...leaves: Leaf[]) => R,
): unknown {
  const { def, leaves } = flattenMatching(op, trees);
  const n = leaves[0]!.length;
  const out = new Array<R>(n);
  for (let i = 0; i < n; i++) out[i] = f(...leaves.map((l) => l[i]!));
  return jt.tree.unflatten(def, out);
}

/** Applies `f` to leaf-aligned trees, returning `outputs` trees of the same structure. */
export function mapMatchingMulti(
  op: string,
  trees: readonly (readonly [name: string, tree: unknown])[],
  outputs: number,
  f: (...leaves: Leaf[]) => readonly Leaf[],
): unknown[] {
  const { def, leaves } = flattenMatching(op, trees);
  const n = leaves[0]!.length;
  const outs: Leaf[][] = Array.from({ length: outputs }, () => new Array<Leaf>(n));
  for (let i = 0; i < n; i++) {
    const r = f(...leaves.map((l) => l[i]!));
    for (let k = 0; k < outputs; k++) outs[k]![i] = r[k]!;
  }
  return outs.map((o) => jt.tree.unflatten(def, o));
}

/** A leaf as an array (JS numbers are float32 scalars). */
export const toArray = (x: Leaf): jt.Array => jt.asArray(x);

/** Zeros with the structure, shapes and dtypes of `tree`. */
export const zerosLikeTree = (tree: unknown): jt.PyTree =>
  jt.tree.map((x: Leaf) => jt.zerosLike(toArray(x)), tree) as jt.PyTree;

/** A tree of the same structure filled with `value` (dtype of each leaf). */
export const fullLikeTree = (tree: unknown, value: number): jt.PyTree =>
  jt.tree.map((x: Leaf) => {
    const a = toArray(x);
    return jt.full(a.shape, value, { dtype: a.dtype });
  }, tree) as jt.PyTree;

/** Replaces the leaves where `keep[i]` is false with `null` (which holds no leaves). */
export function maskTree(tree: unknown, keep: readonly boolean[]): jt.PyTree {
  const [ls, def] = jt.tree.flatten<Leaf>(tree);
  return jt.tree.unflatten(
    def,
    ls.map((l, i) => (keep[i] ? l : null)),
  );
}

/**
 * Writes the leaves of `sub` (a tree masked by `keep`) back into `full`'s leaf list.
 */
export function scatterLeaves(
  op: string,
  full: Leaf[],
  sub: unknown,
  keep: readonly boolean[],
): void {
  const ls = jt.tree.leaves<Leaf>(sub);
  let j = 0;
  for (let i = 0; i < full.length; i++) {
    if (keep[i]) {
      if (j >= ls.length) break;
      full[i] = ls[j++]!;
    }
  }
  const want = keep.filter(Boolean).length;
  if (ls.length !== want) {
    throw new jt.ValueError(
      `${op}: the inner transformation returned ${ls.length} leaves for ${want} selected ones`,
    );
  }
}

/** Selects between two trees of one structure by a scalar bool (a JS boolean when concrete). */
export function selectTree<T>(pred: boolean | jt.Array, ifTrue: T, ifFalse: T): T {
  if (typeof pred === 'boolean') return pred ? ifTrue : ifFalse;
  return jt.tree.map((a: Leaf, b: Leaf) => jt.where(pred, a, b), ifTrue, ifFalse) as T;
}
