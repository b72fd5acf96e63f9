import * as jt from '@jute/tensor';

/**
 * Flattens a pytree of arrays and JS numbers into arrays. As in JAX, a JS array is a
 * pytree node (a list), so `grad(f)([1, 2, 3])` differentiates with respect to three
 * scalar leaves and returns a list of three gradients, while `jt.array([1, 2, 3])` is
 * one leaf; typed arrays are leaves. Other values are rejected by `jt.tree.flatten`
 * with a `ValueError` that names their path and what a leaf may be.
 */
export function flattenArrays(tree: unknown): [jt.Array[], jt.TreeDef] {
  const [leaves, def] = jt.tree.flatten<jt.Array | number | boolean>(tree);
  return [leaves.map((l) => jt.asArray(l)), def];
}

/**
 * Wraps a pytree function as a flat one; `outDef()` reports the output structure after
 * the first call.
 */
export function flattenFun<R>(
  f: (...args: any[]) => R,
  inDef: jt.TreeDef,
): [(args: jt.Array[]) => jt.Array[], () => jt.TreeDef] {
  let outDef: jt.TreeDef | undefined;
  const flat = (args: jt.Array[]): jt.Array[] => {
    const tree = jt.tree.unflatten<unknown[]>(inDef, args);
    const [outs, def] = flattenArrays(f(...tree));
    outDef = def;
    return outs;
  };
  return [flat, () => outDef!];
}
