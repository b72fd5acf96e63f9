import { Array } from './array';
import { fmtShape, ValueError } from './errors';

/**
 * A pytree: a leaf (an `Array`, a number or a boolean; at run time a typed array is a
 * leaf too), or a plain object, a JS array or null whose members are pytrees. `null` and
 * `undefined` hold no leaves. A JS array is always a node: `[1, 2]` is two leaves.
 */
export type PyTree =
  | Array
  | number
  | boolean
  | null
  | undefined
  | readonly PyTree[]
  | { readonly [key: string]: PyTree };

/** The structure of a pytree without its leaves. Object keys are kept sorted. */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'none'; readonly value: null | undefined }
  | { readonly kind: 'list'; readonly children: readonly TreeDef[] }
  | {
      readonly kind: 'object';
      readonly keys: readonly string[];
      readonly children: readonly TreeDef[];
    };

// Typed arrays are leaves (as NumPy arrays are in JAX), not lists of numbers.
const isLeaf = (x: unknown): boolean =>
  x instanceof Array ||
  typeof x === 'number' ||
  typeof x === 'boolean' ||
  (ArrayBuffer.isView(x) && !(x instanceof DataView));

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function build(x: unknown, leaves: unknown[], path: string): TreeDef {
  if (isLeaf(x)) {
    leaves.push(x);
    return { kind: 'leaf' };
  }
  if (x === null || x === undefined) return { kind: 'none', value: x };
  if (globalThis.Array.isArray(x))
    return { kind: 'list', children: x.map((c, i) => build(c, leaves, `${path}${i}.`)) };
  if (isPlainObject(x)) {
    const keys = Object.keys(x).sort();
    return { kind: 'object', keys, children: keys.map((k) => build(x[k], leaves, `${path}${k}.`)) };
  }
  throw new ValueError(
    `tree: unsupported node ${Object.prototype.toString.call(x)} at '${path.slice(0, -1) || '<root>'}' (a pytree's leaves are jt.Arrays, numbers, booleans and typed arrays; its nodes are plain objects, JS arrays and null, so [1, 2] is a list of two leaves and jt.array([1, 2]) one array)`,
  );
}

/**
 * Splits a pytree into its leaves (depth first, object keys sorted) and its structure.
 * @example const [leaves, def] = jt.tree.flatten({ w: x, b: y }); // leaves [y, x]
 */
export function flatten<L = Array>(tree: unknown): [L[], TreeDef] {
  const leaves: unknown[] = [];
  const def = build(tree, leaves, '');
  return [leaves as L[], def];
}

/** Rebuilds a pytree of structure `def` from leaves. @example jt.tree.unflatten(def, leaves) */
export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  let i = 0;
  const rebuild = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        if (i >= leaves.length)
          throw new ValueError(`tree.unflatten: too few leaves (${leaves.length})`);
        return leaves[i++];
      case 'none':
        return d.value;
      case 'list':
        return d.children.map(rebuild);
      case 'object':
        return Object.fromEntries(d.keys.map((k, j) => [k, rebuild(d.children[j]!)]));
    }
  };
  const out = rebuild(def);
  if (i !== leaves.length)
    throw new ValueError(`tree.unflatten: ${leaves.length} leaves for a structure of ${i}`);
  return out as T;
}

/** The leaves of a pytree in flatten order. @example jt.tree.leaves(params).length */
export const leaves = <L = Array>(tree: unknown): L[] => flatten<L>(tree)[0];

/** The structure of a pytree. @example jt.tree.structure(params) */
export const structure = (tree: unknown): TreeDef => flatten(tree)[1];

/** Number of leaves a structure holds. */
export function numLeaves(def: TreeDef): number {
  if (def.kind === 'leaf') return 1;
  if (def.kind === 'none') return 0;
  return def.children.reduce((n, c) => n + numLeaves(c), 0);
}

/** Whether two structures are the same. */
export function defsEqual(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf') return true;
  if (a.kind === 'none') return true;
  const bc = (b as typeof a).children;
  if (
    a.kind === 'object' &&
    (a.keys.length !== (b as typeof a).keys.length ||
      a.keys.some((k, i) => k !== (b as typeof a).keys[i]))
  )
    return false;
  return a.children.length === bc.length && a.children.every((c, i) => defsEqual(c, bc[i]!));
}

/** Readable structure, for error messages: `{b: *, w: [*, *]}`. */
export function defToString(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return '*';
    case 'none':
      return String(def.value);
    case 'list':
      return `[${def.children.map(defToString).join(', ')}]`;
    case 'object':
      return `{${def.keys.map((k, i) => `${k}: ${defToString(def.children[i]!)}`).join(', ')}}`;
  }
}

/** Paths to every leaf, `'conv1.kernel'` or `'layers.0.bias'`, in flatten order. */
function paths(def: TreeDef, prefix: string, out: string[]): void {
  if (def.kind === 'leaf') out.push(prefix);
  else if (def.kind === 'list')
    def.children.forEach((c, i) => {
      paths(c, prefix ? `${prefix}.${i}` : String(i), out);
    });
  else if (def.kind === 'object')
    def.children.forEach((c, i) => {
      paths(c, prefix ? `${prefix}.${def.keys[i]}` : def.keys[i]!, out);
    });
}

/**
 * Leaves with their dotted paths (for checkpoints and error messages).
 * @example jt.tree.flattenWithPath({ conv1: { kernel: k } }) // [['conv1.kernel', k]]
 */
export function flattenWithPath<L = Array>(tree: unknown): [string, L][] {
  const [ls, def] = flatten<L>(tree);
  const ps: string[] = [];
  paths(def, '', ps);
  return ps.map((p, i) => [p, ls[i]!]);
}

type MapLeaves<T, R> = T extends Array | number | boolean
  ? R
  : T extends null | undefined
    ? T
    : T extends readonly unknown[]
      ? { [K in keyof T]: MapLeaves<T[K], R> }
      : T extends object
        ? { [K in keyof T]: MapLeaves<T[K], R> }
        : R;

/**
 * Applies `f` to every leaf (and the matching leaves of `rest`, which must share the
 * structure), keeping the structure and its type.
 * @example const updated = jt.tree.map((p, g) => p.sub(g.mul(0.1)), params, grads);
 */
export function map<T, R = Array>(
  f: (leaf: any, ...rest: any[]) => R,
  tree: T,
  ...rest: unknown[]
): MapLeaves<T, R> {
  const [ls, def] = flatten<unknown>(tree);
  const others = rest.map((r, k) => {
    const [rl, rd] = flatten<unknown>(r);
    if (!defsEqual(def, rd)) {
      throw new ValueError(
        `tree.map: argument ${k + 2} has structure ${defToString(rd)}, expected ${defToString(def)}`,
      );
    }
    return rl;
  });
  return unflatten(
    def,
    ls.map((l, i) => f(l, ...others.map((o) => o[i]))),
  ) as MapLeaves<T, R>;
}

/** Whether two pytrees have the same structure. @example jt.tree.equalStructure(a, b) */
export const equalStructure = (a: unknown, b: unknown): boolean =>
  defsEqual(structure(a), structure(b));

/** Describes a leaf for messages. */
export const describeLeaf = (x: unknown): string =>
  x instanceof Array ? `${x.dtype}${fmtShape(x.shape)}` : typeof x;
