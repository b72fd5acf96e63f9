import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from './errors';

/**
 * Options of {@link restoreInto}.
 * @example restoreInto({ params }, tensors, { strict: false }) // ignore optimizer state in the file
 */
export interface RestoreOptions {
  /** Reject tensors the template has no place for (default `true`). */
  readonly strict?: boolean;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Rebuilds a pytree with the structure of `template` from named tensors (as read by
 * `readSafetensors`), checking that every leaf is present with the template's dtype
 * and shape. Number and boolean leaves are restored from scalar tensors. Needed to
 * resume training: the template is a freshly initialised `{ params, optState }`.
 * @example
 * const restored = pipe(ckpt, E.flatMap(({ tensors }) => data.restoreInto({ params, optState }, tensors)));
 */
export function restoreInto<T>(
  template: T,
  tensors: Readonly<Record<string, jt.Array>>,
  options: RestoreOptions = {},
): E.Either<DataError, T> {
  if (typeof tensors !== 'object' || tensors === null)
    return E.left({ _tag: 'InvalidArgument', message: 'restoreInto: tensors must be an object' });
  let withPath: [string, unknown][];
  let def: jt.TreeDef;
  try {
    withPath = jt.tree.flattenWithPath<unknown>(template);
    def = jt.tree.structure(template);
  } catch (e) {
    return E.left({
      _tag: 'InvalidArgument',
      message: `restoreInto: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const out: unknown[] = [];
  for (const [key, leaf] of withPath) {
    const t = Object.hasOwn(tensors, key) ? tensors[key] : undefined;
    if (t === undefined) return E.left({ _tag: 'MissingTensor', key });
    if (!(t instanceof jt.Array))
      return E.left({ _tag: 'InvalidArgument', message: `restoreInto: '${key}' is not an array` });
    if (leaf instanceof jt.Array) {
      if (t.dtype !== leaf.dtype)
        return E.left({ _tag: 'DTypeMismatch', key, expected: leaf.dtype, actual: t.dtype });
      if (!sameShape(t.shape, leaf.shape))
        return E.left({ _tag: 'ShapeMismatch', key, expected: leaf.shape, actual: t.shape });
      out.push(t);
    } else {
      const wantBool = typeof leaf === 'boolean';
      if (!sameShape(t.shape, []))
        return E.left({ _tag: 'ShapeMismatch', key, expected: [], actual: t.shape });
      if ((t.dtype === 'bool') !== wantBool) {
        return E.left({
          _tag: 'DTypeMismatch',
          key,
          expected: wantBool ? 'bool' : 'a numeric scalar',
          actual: t.dtype,
        });
      }
      out.push(t.item());
    }
  }
  if (options.strict ?? true) {
    const known = new Set(withPath.map(([k]) => k));
    const extra = Object.keys(tensors).find((k) => !known.has(k));
    if (extra !== undefined) return E.left({ _tag: 'UnexpectedTensor', key: extra });
  }
  return E.right(jt.tree.unflatten<T>(def, out));
}
