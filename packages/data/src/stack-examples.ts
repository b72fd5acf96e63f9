import * as jt from '@jute/tensor';
import type { Batched } from './dataset';

type Leaf = jt.Array | number | boolean;

const allocate = (dtype: jt.DType, n: number): jt.TypedArray => {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
};

/** A typed buffer for `n` elements of `dtype`. */
export const allocateBuffer = allocate;

const describe = (leaf: Leaf): { shape: readonly number[]; dtype: jt.DType } =>
  typeof leaf === 'number'
    ? { shape: [], dtype: 'float32' }
    : typeof leaf === 'boolean'
      ? { shape: [], dtype: 'bool' }
      : { shape: leaf.shape, dtype: leaf.dtype };

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Stacks examples that share one pytree structure into a batch: each leaf gets a
 * new leading axis. JS numbers stack as float32 and booleans as bool, like
 * `jt.array`. Throws `ValueError`/`ShapeError`/`DTypeError` for examples that do not
 * line up (a programming error, not bad input data).
 */
export function stackExamples<T>(examples: readonly T[]): Batched<T> {
  const first = examples[0];
  if (first === undefined) throw new jt.ValueError('batch: cannot stack zero examples');
  const [firstLeaves, def] = jt.tree.flatten<Leaf>(first);
  const withPath = jt.tree.flattenWithPath<Leaf>(first);
  const rows = examples.map((ex, i) => {
    const [ls, d] = jt.tree.flatten<Leaf>(ex);
    if (!jt.tree.defsEqual(def, d)) {
      throw new jt.ValueError(
        `batch: example ${i} has structure ${jt.tree.defToString(d)}, example 0 has ${jt.tree.defToString(def)}`,
      );
    }
    return ls;
  });
  const stacked = firstLeaves.map((leaf0, j) => {
    const { shape, dtype } = describe(leaf0);
    const stride = shape.reduce((a, b) => a * b, 1);
    const out = allocate(dtype, stride * rows.length);
    rows.forEach((ls, i) => {
      const leaf = ls[j] as Leaf;
      const d = describe(leaf);
      const name = withPath[j]?.[0] || '<root>';
      if (d.dtype !== dtype) {
        throw new jt.DTypeError(
          `batch: leaf '${name}' of example ${i} is ${d.dtype}, example 0 has ${dtype}`,
        );
      }
      if (!sameShape(d.shape, shape)) {
        throw new jt.ShapeError(
          `batch: leaf '${name}' of example ${i} has shape ${jt.fmtShape(d.shape)}, example 0 has ${jt.fmtShape(shape)}`,
        );
      }
      if (typeof leaf === 'number') out[i] = leaf;
      else if (typeof leaf === 'boolean') out[i] = leaf ? 1 : 0;
      else out.set(leaf.data(), i * stride);
    });
    return jt.array(out, { shape: [rows.length, ...shape], dtype });
  });
  return jt.tree.unflatten<Batched<T>>(def, stacked);
}
