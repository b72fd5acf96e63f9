import * as jt from '@jute/tensor';
import type { Leaf } from './tree';

const isTreeLeaf = (x: unknown): x is Leaf =>
  x instanceof jt.Array || typeof x === 'number' || typeof x === 'boolean';
const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof jt.Array);
const at = (path: string): string => (path === '' ? '<root>' : path);
const join = (path: string, key: string | number): string =>
  path === '' ? String(key) : `${path}.${key}`;

/**
 * Expands a tree of per-leaf values (masks of booleans, labels of strings) over
 * `tree`, one value per leaf in flatten order. The value tree may be a prefix: a
 * value where `tree` has a whole subtree applies to every leaf below it.
 */
export function broadcastPrefix<V>(
  op: string,
  what: string,
  prefix: unknown,
  tree: unknown,
  isValue: (x: unknown) => x is V,
  valueName: string,
): V[] {
  const out: V[] = [];
  const walk = (pre: unknown, node: unknown, path: string): void => {
    if (isValue(pre)) {
      const n = jt.tree.leaves<Leaf>(node).length;
      for (let i = 0; i < n; i++) out.push(pre);
      return;
    }
    if (node === null || node === undefined) return;
    if (isTreeLeaf(node)) {
      throw new jt.ValueError(
        `${op}: ${what} at '${at(path)}' must be ${valueName}, got ${describe(pre)}`,
      );
    }
    if (Array.isArray(node)) {
      if (!Array.isArray(pre) || pre.length !== node.length) {
        throw new jt.ValueError(
          `${op}: ${what} at '${at(path)}' must be ${valueName} or a list of ${node.length}, got ${describe(pre)}`,
        );
      }
      node.forEach((c, i) => {
        walk(pre[i], c, join(path, i));
      });
      return;
    }
    if (isPlainObject(node)) {
      if (!isPlainObject(pre)) {
        throw new jt.ValueError(
          `${op}: ${what} at '${at(path)}' must be ${valueName} or an object, got ${describe(pre)}`,
        );
      }
      const keys = Object.keys(node).sort();
      const extra = Object.keys(pre).find((k) => !(k in node));
      if (extra !== undefined) {
        throw new jt.ValueError(
          `${op}: ${what} has '${join(path, extra)}', which the parameters do not have`,
        );
      }
      for (const k of keys) {
        if (!(k in pre)) throw new jt.ValueError(`${op}: ${what} is missing '${join(path, k)}'`);
        walk(pre[k], node[k], join(path, k));
      }
      return;
    }
    throw new jt.ValueError(`${op}: unsupported node at '${at(path)}' in the parameters`);
  };
  walk(prefix, tree, '');
  return out;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (x instanceof jt.Array) return `an array ${x.dtype}${jt.fmtShape(x.shape)}`;
  if (typeof x === 'object') return 'an object';
  return `${typeof x} ${JSON.stringify(x)}`;
}

/** A boolean mask (a tree or prefix tree of booleans), or a function of the parameters giving one. */
export type MaskTree =
  | boolean
  | null
  | undefined
  | readonly MaskTree[]
  | { readonly [key: string]: MaskTree };
/** A mask, or a function that builds one from the parameters (or updates). */
// biome-ignore lint/suspicious/noExplicitAny: a mask function accepts the user's own parameter type.
export type Mask = MaskTree | ((params: any) => MaskTree);

const isBool = (x: unknown): x is boolean => typeof x === 'boolean';

/** One boolean per leaf of `tree`. */
export function resolveMask(op: string, mask: Mask, tree: unknown): boolean[] {
  const m = typeof mask === 'function' ? (mask as (p: unknown) => MaskTree)(tree) : mask;
  return broadcastPrefix(op, 'mask', m, tree, isBool, 'a boolean');
}
