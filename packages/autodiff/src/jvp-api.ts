import * as jt from '@jute/tensor';
import { flattenArrays, flattenFun } from './flat';
import { jvpFlat } from './jvp';

/**
 * Forward-mode derivative: evaluates `f(...primals)` and its directional derivative
 * along `tangents` (pytrees matching the primals in structure, shape and dtype).
 * @example
 * const [y, dy] = jvp((x) => jt.sin(x), [jt.array(0)], [jt.array(1)]); // dy = cos(0) = 1
 */
export function jvp<T>(
  f: (...args: any[]) => T,
  primals: readonly unknown[],
  tangents: readonly unknown[],
): [T, T] {
  const [ps, pDef] = flattenArrays(primals);
  const [ts, tDef] = flattenArrays(tangents);
  if (
    ps.length !== ts.length ||
    !jt.tree.equalStructure(jt.tree.unflatten(pDef, ps), jt.tree.unflatten(tDef, ts))
  ) {
    throw new jt.ShapeError('jvp: tangents must have the same pytree structure as the primals');
  }
  ps.forEach((p, i) => {
    const t = ts[i]!;
    if (p.shape.join() !== t.shape.join()) {
      throw new jt.ShapeError(
        `jvp: tangent ${i} has shape [${t.shape}], its primal has [${p.shape}]`,
      );
    }
    if (p.dtype !== t.dtype)
      throw new jt.DTypeError(`jvp: tangent ${i} has dtype ${t.dtype}, its primal has ${p.dtype}`);
  });
  const [flatF, outDef] = flattenFun(f, pDef);
  const [po, to] = jvpFlat(flatF, ps, ts);
  return [jt.tree.unflatten<T>(outDef(), po), jt.tree.unflatten<T>(outDef(), to)];
}
