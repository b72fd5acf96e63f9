import * as jt from '@jute/tensor';

/** Sums `term(leaf)` over every leaf of a parameter pytree (a float32 0 for an empty tree). */
export function sumOverLeaves(
  fn: string,
  params: unknown,
  term: (leaf: jt.Array) => jt.Array,
): jt.Array {
  let total: jt.Array | undefined;
  for (const [path, leaf] of jt.tree.flattenWithPath<jt.Array | number | boolean>(params)) {
    const x = leaf instanceof jt.Array ? leaf : jt.array(leaf as number);
    if (!jt.isFloat(x.dtype)) {
      throw new jt.DTypeError(
        `${fn}: parameter '${path || '<root>'}' is ${x.dtype}${jt.fmtShape(x.shape)}; only float leaves can be penalised`,
      );
    }
    const s = jt.sum(term(x));
    total = total === undefined ? s : jt.add(total, s);
  }
  return total ?? jt.zeros([]);
}
