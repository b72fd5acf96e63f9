import { checkGrads, grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { expect } from 'vitest';

type Nested = number | readonly Nested[];

/** float64 array, for gradient checks. */
export const f64 = (x: Nested): jt.Array => jt.array(x as never, { dtype: 'float64' });
/** float32 array. */
export const f32 = (x: Nested): jt.Array => jt.array(x as never);
/** int32 array. */
export const i32 = (x: Nested): jt.Array => jt.array(x as never, { dtype: 'int32' });

const flat = (x: Nested): number[] => (typeof x === 'number' ? [x] : x.flatMap(flat));

/** Expects `actual` to have `shape` and values within `tol` (absolute + relative) of `expected`. */
export function expectClose(
  actual: jt.Array,
  expected: Nested,
  shape: readonly number[],
  tol = 1e-5,
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

/** Expects every value to be finite (no NaN, no ±Infinity). */
export function expectFinite(x: jt.Array): void {
  const bad = Array.from(x.data()).filter((v) => !Number.isFinite(v));
  expect(bad, `non-finite values in ${x.toString()}`).toEqual([]);
}

/**
 * The loss and the gradient of its sum with respect to the first argument are finite
 * at `x` (used at logits ±1e4).
 */
export function expectFiniteWithGrad(loss: (x: jt.Array) => jt.Array, x: jt.Array): void {
  expectFinite(loss(x));
  expectFinite(grad((y: jt.Array) => jt.sum(loss(y)))(x) as jt.Array);
}

/** Runs autodiff's `checkGrads` on the sum of `loss` (float64, forward and reverse; order 1 unless told). */
export function expectGradsOk(
  loss: (...xs: jt.Array[]) => jt.Array,
  args: jt.Array[],
  order = 1,
): void {
  expect(() =>
    checkGrads((...xs: jt.Array[]) => jt.sum(loss(...xs)), args, { order }),
  ).not.toThrow();
}
