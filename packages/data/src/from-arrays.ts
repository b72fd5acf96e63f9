import * as jt from '@jute/tensor';
import {
  type Batched,
  type Dataset,
  identityOrder,
  makeIndexedDataset,
  type Table,
} from './dataset';
import { allocateBuffer } from './stack-examples';

interface LeafColumn {
  readonly data: jt.TypedArray;
  readonly rest: readonly number[];
  readonly stride: number;
  readonly dtype: jt.DType;
}

/**
 * A {@link Table} over a pytree of arrays sliced along axis 0. Holds one host copy of
 * each leaf and gathers batches with typed-array copies, so shuffled batching makes
 * no per-example objects.
 * @example const t = arrayTable({ x, y }); t.gather(Int32Array.of(4, 2));
 */
export function arrayTable<T>(arrays: T): Table<T> {
  const [leaves, def] = jt.tree.flatten<unknown>(arrays);
  const paths = jt.tree.flattenWithPath<unknown>(arrays).map(([p]) => p || '<root>');
  if (leaves.length === 0) throw new jt.ValueError('fromArrays: the pytree holds no arrays');
  let n: number | undefined;
  const arraysOf: jt.Array[] = leaves.map((leaf, j) => {
    if (!(leaf instanceof jt.Array)) {
      throw new jt.ValueError(
        `fromArrays: leaf '${paths[j]}' is a ${typeof leaf}, expected an Array`,
      );
    }
    const len = leaf.shape[0];
    if (len === undefined) {
      throw new jt.ShapeError(
        `fromArrays: leaf '${paths[j]}' is a scalar; it needs an axis 0 to slice`,
      );
    }
    if (n === undefined) n = len;
    else if (len !== n) {
      throw new jt.ShapeError(
        `fromArrays: leaf '${paths[j]}' has ${len} rows (shape ${jt.fmtShape(leaf.shape)}), '${paths[0]}' has ${n}`,
      );
    }
    return leaf;
  });
  // The host copies are made on first use, so building a pipeline stays free.
  let cached: LeafColumn[] | undefined;
  const cols = (): LeafColumn[] => {
    cached ??= arraysOf.map((leaf) => {
      const rest = leaf.shape.slice(1);
      return {
        data: leaf.data(),
        rest,
        stride: rest.reduce((a, b) => a * b, 1),
        dtype: leaf.dtype,
      };
    });
    return cached;
  };
  const length = n ?? 0;
  const wrap = (parts: jt.Array[]): unknown => jt.tree.unflatten(def, parts);
  return {
    length,
    get: (i) =>
      wrap(
        cols().map((c) =>
          jt.array(c.data.subarray(i * c.stride, (i + 1) * c.stride), {
            shape: c.rest,
            dtype: c.dtype,
          }),
        ),
      ) as T,
    gather: (indices) =>
      wrap(
        cols().map((c) => {
          const out = allocateBuffer(c.dtype, indices.length * c.stride);
          const { data, stride } = c;
          if (stride === 1) {
            for (let k = 0; k < indices.length; k++) out[k] = data[indices[k]!]!;
          } else {
            for (let k = 0; k < indices.length; k++) {
              const s = indices[k]! * stride;
              out.set(data.subarray(s, s + stride), k * stride);
            }
          }
          return jt.array(out, { shape: [indices.length, ...c.rest], dtype: c.dtype });
        }),
      ) as Batched<T>,
  };
}

/**
 * A dataset of the examples of a pytree of arrays, sliced along axis 0: example `i` is
 * the same pytree with every leaf `a` replaced by `a[i]`. All leaves must have the
 * same length on axis 0 (else `ShapeError`). Random access makes `shuffle`, `take`,
 * `skip` and `batch` work on index arrays (no per-example objects).
 * @example
 * const ds = pipe(data.fromArrays({ x: images, y: labels }), data.shuffle(key), data.batch(64));
 */
export function fromArrays<T>(arrays: T): Dataset<T> {
  const table = arrayTable(arrays);
  return makeIndexedDataset({
    table,
    length: table.length,
    order: () => identityOrder(table.length),
  });
}
