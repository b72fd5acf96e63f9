import * as jt from '@jute/tensor';
import { type BDim, vmapFlat } from './batching';
import { flattenArrays, flattenFun } from './flat';

/** A batch axis per leaf: a number or null (not batched) covering a whole subtree, or a tree of those. */
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

/** Expands an axis spec (a prefix of `tree`) to one axis per leaf, in flatten order. */
function broadcastPrefix(
  spec: AxisSpec | undefined,
  tree: unknown,
  path: string,
  out: BDim[],
): void {
  if (spec === undefined || spec === null || typeof spec === 'number') {
    const n = jt.tree.leaves(tree).length;
    for (let i = 0; i < n; i++) out.push(spec ?? null);
    return;
  }
  if (Array.isArray(spec)) {
    if (!Array.isArray(tree) || tree.length !== spec.length) {
      throw new jt.ValueError(
        `vmap: inAxes at '${path || '<args>'}' is a list of ${spec.length}, the argument is not a list of that length`,
      );
    }
    spec.forEach((s, i) => {
      broadcastPrefix(s, tree[i], path ? `${path}.${i}` : String(i), out);
    });
    return;
  }
  const obj = spec as { readonly [key: string]: AxisSpec };
  if (
    tree === null ||
    typeof tree !== 'object' ||
    Array.isArray(tree) ||
    tree instanceof jt.Array
  ) {
    throw new jt.ValueError(`vmap: inAxes at '${path}' is an object, the argument is not`);
  }
  for (const k of Object.keys(tree as object).sort())
    broadcastPrefix(obj[k] ?? null, (tree as Record<string, unknown>)[k], `${path}.${k}`, out);
}

/**
 * Vectorizes `f` over a batch axis of its inputs: `inAxes` gives the axis per argument
 * (a number, `null` for arguments shared by every example, or a pytree of those);
 * outputs carry the batch at `outAxes` (default 0).
 * @example
 * const perExampleGrads = vmap(grad(loss), { inAxes: [null, 0, 0] })(params, xs, ys);
 */
export function vmap<A extends unknown[], R>(
  f: (...args: A) => R,
  options: { inAxes?: AxisSpec; outAxes?: number } = {},
) {
  return (...args: A): R => {
    const spec = options.inAxes ?? 0;
    const dims: BDim[] = [];
    if (Array.isArray(spec)) {
      if (spec.length !== args.length)
        throw new jt.ValueError(
          `vmap: inAxes has ${spec.length} entries for ${args.length} arguments`,
        );
      broadcastPrefix(spec, args, '', dims);
    } else broadcastPrefix(spec, args, '', dims);
    const [flat, inDef] = flattenArrays(args);
    const paths = jt.tree.flattenWithPath<unknown>(args).map(([p]) => p);
    let size: number | undefined;
    const normalized = flat.map((x, i) => {
      const d = dims[i]!;
      if (d === null) return null;
      if (!Number.isInteger(d) || d < -x.ndim || d >= x.ndim) {
        throw new jt.ShapeError(
          `vmap: axis ${d} is out of range for argument leaf '${paths[i]}' of shape [${x.shape}]`,
        );
      }
      const axis = d < 0 ? d + x.ndim : d;
      const n = x.shape[axis]!;
      if (size !== undefined && n !== size) {
        throw new jt.ShapeError(
          `vmap: mapped axes have different sizes: ${size} and ${n} (argument leaf '${paths[i]}')`,
        );
      }
      size = n;
      return axis;
    });
    if (size === undefined)
      throw new jt.ValueError('vmap: at least one argument must be mapped (inAxes are all null)');
    const [flatF, outDef] = flattenFun(f, inDef);
    const outs = vmapFlat(flatF, flat, normalized, size, 0);
    const outAxis = options.outAxes ?? 0;
    const moved = outs.map((o, i) => {
      if (!Number.isInteger(outAxis) || outAxis < -o.ndim || outAxis >= o.ndim) {
        throw new jt.ShapeError(
          `vmap: outAxes ${outAxis} is out of range for output leaf ${i} of shape [${o.shape}] (batch axis included)`,
        );
      }
      return outAxis === 0 ? o : jt.moveAxis(o, 0, outAxis);
    });
    return jt.tree.unflatten<R>(outDef(), moved);
  };
}
