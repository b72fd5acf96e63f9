import type { DType } from '../../core/dtype';
import { type Shape, sizeOf } from '../../core/shape';
import { binding, decode, dot, elementMain, literal, wgslType } from './wgsl';

// Data movement copies 32-bit words whatever the dtype (every GPU dtype is one word), so
// one pipeline serves float32, int32 and bool.

/**
 * `dst[dstOff + Σ c·dstStrides] = src[srcOff + Σ c·srcStrides]` for every coordinate `c` of
 * `count`: the one kernel behind broadcast, transpose, slice, pad and concatenate.
 */
export function stridedCopyKernel(
  count: Shape,
  srcOff: number,
  srcStrides: readonly number[],
  dstOff: number,
  dstStrides: readonly number[],
): string {
  const body = [
    decode('i', count, 'c'),
    `  dst[${dot('c', dstStrides, dstOff)}] = src[${dot('c', srcStrides, srcOff)}];`,
  ].join('\n');
  return `${binding(0, 'src', 'u32', false)}\n${binding(1, 'dst', 'u32', true)}\n${elementMain(sizeOf(count), body)}\n`;
}

/** Fills `n` elements with `value` (of `dtype`). */
export function fillKernel(n: number, value: number, dtype: DType): string {
  const t = wgslType(dtype, 'pad');
  return `${binding(0, 'dst', t, true)}\n${elementMain(n, `  dst[i] = ${literal(value, dtype)};`)}\n`;
}

/**
 * `out[o, j, r] = x[o, idx[j], r]` with `x` as `[outer, n, inner]`. Indices outside `[0, n)`
 * read 0: a GPU kernel cannot throw, and the CPU backend's range check needs the values.
 */
export function gatherKernel(outer: number, n: number, m: number, inner: number): string {
  const body = [
    decode('i', [outer, m, inner], 'c'),
    '  let k = idx[c1];',
    `  if (k < 0 || k >= ${n}) { out[i] = 0u; return; }`,
    `  out[i] = x[(c0 * ${n}u + u32(k)) * ${inner}u + c2];`,
  ].join('\n');
  return `${binding(0, 'x', 'u32', false)}\n${binding(1, 'idx', 'i32', false)}\n${binding(2, 'out', 'u32', true)}\n${elementMain(outer * m * inner, body)}\n`;
}

/**
 * `out[o, r, q] = Σ_{j: idx[j] = r} upd[o, j, q]`: each output element sums its own
 * contributions in index order, so the result is deterministic and needs no atomics.
 */
export function scatterAddKernel(
  outer: number,
  size: number,
  m: number,
  inner: number,
  dtype: DType,
): string {
  const t = wgslType(dtype, 'scatter_add');
  const body = [
    decode('i', [outer, size, inner], 'c'),
    `  var acc = ${t}(0);`,
    `  for (var j = 0u; j < ${m}u; j++) {`,
    `    if (idx[j] == i32(c1)) { acc += upd[(c0 * ${m}u + j) * ${inner}u + c2]; }`,
    '  }',
    '  out[i] = acc;',
  ].join('\n');
  return `${binding(0, 'upd', t, false)}\n${binding(1, 'idx', 'i32', false)}\n${binding(2, 'out', t, true)}\n${elementMain(outer * size * inner, body)}\n`;
}
