import type { TypedArray } from '../core/dtype';
import { type CopyPlan, walkOuter } from './strided';

/**
 * Scatter-style accumulation (`dst += src`) for scatter_add and col2im. Unlike copies these
 * do arithmetic in the dtype (float32 rounds at every step, int32 wraps), so they run on
 * the typed arrays themselves, with one loop per array type: one loop shared by all
 * dtypes ran 20–40× slower once V8 had seen several of them (the LSTM's embedding
 * gradient took ~35 ns instead of ~2 ns per element), and which dtypes a kernel sees
 * depends on the whole program.
 */

type Add = (
  src: TypedArray,
  s: number,
  ss: number,
  dst: TypedArray,
  d: number,
  ds: number,
  n: number,
) => void;

// The same body four times on purpose: each copy specializes to one array type.
const addF32: Add = (src, s, ss, dst, d, ds, n) => {
  for (let j = 0; j < n; j++, s += ss, d += ds) dst[d] = dst[d]! + src[s]!;
};
const addF64: Add = (src, s, ss, dst, d, ds, n) => {
  for (let j = 0; j < n; j++, s += ss, d += ds) dst[d] = dst[d]! + src[s]!;
};
const addI32: Add = (src, s, ss, dst, d, ds, n) => {
  for (let j = 0; j < n; j++, s += ss, d += ds) dst[d] = dst[d]! + src[s]!;
};
const addU8: Add = (src, s, ss, dst, d, ds, n) => {
  for (let j = 0; j < n; j++, s += ss, d += ds) dst[d] = dst[d]! + src[s]!;
};

/** The strided add loop specialized to `a`'s array type. */
export function addLoop(a: TypedArray): Add {
  if (a instanceof Float32Array) return addF32;
  if (a instanceof Float64Array) return addF64;
  if (a instanceof Int32Array) return addI32;
  return addU8;
}

/**
 * `dst += src` over a plan built with element strides (`w` = 1) for these two arrays,
 * in the plan's own order (col2im relies on it to add in a naive loop's order).
 */
export function addStrided(
  p: CopyPlan,
  src: TypedArray,
  s: number,
  dst: TypedArray,
  d: number,
): void {
  const add = addLoop(dst);
  const { m, n, srcRow, dstRow, srcCol, dstCol } = p;
  walkOuter(p, s, d, (si, di) => {
    for (let r = 0; r < m; r++, si += srcRow, di += dstRow)
      add(src, si, srcCol, dst, di, dstCol, n);
  });
}
