import * as jt from '@jute/tensor';
import { expect } from 'vitest';

type Nested = number | readonly Nested[];

/** float32 array. */
export const f32 = (x: Nested): jt.Array => jt.array(x as never);
/** int32 array. */
export const i32 = (x: Nested): jt.Array => jt.array(x as never, { dtype: 'int32' });

const flat = (x: Nested): number[] => (typeof x === 'number' ? [x] : x.flatMap(flat));

/** Expects `actual` to have `shape` and values within `tol` (absolute + relative) of `expected`. */
export function expectClose(
  actual: jt.Array,
  expected: Nested,
  shape: readonly number[] = [],
  tol = 1e-6,
): void {
  expect(actual.shape).toEqual(shape);
  const got = Array.from(actual.data());
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w)))) {
      throw new Error(`index ${i}: got ${g}, expected ${w} (got ${JSON.stringify(got)})`);
    }
  });
}

/** Splits along axis 0 at the given indices (empty pieces allowed). */
export function splitAt(x: jt.Array, cuts: readonly number[]): jt.Array[] {
  const bounds = [0, ...cuts, x.shape[0]!];
  return bounds.slice(1).map((end, i) => jt.slice(x, [bounds[i]!], [end]));
}
