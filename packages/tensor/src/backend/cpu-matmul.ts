import type { TypedArray } from '../core/dtype';

/**
 * `out[b] = a[b] @ b[b]` for `batch` row-major (m×k)·(k×n) products at the given offsets.
 * Blocked over rows and the contraction so a panel of `b` stays in cache while rows of
 * `a` stream past; the inner loop is a contiguous axpy that V8 vectorizes well.
 */
export function matmulInto(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
): void {
  const RB = 32;
  const KB = 128;
  for (let bi = 0; bi < batch; bi++) {
    const ao = bi * m * k;
    const bo = bi * k * n;
    const oo = bi * m * n;
    for (let i0 = 0; i0 < m; i0 += RB) {
      const i1 = Math.min(m, i0 + RB);
      for (let p0 = 0; p0 < k; p0 += KB) {
        const p1 = Math.min(k, p0 + KB);
        for (let i = i0; i < i1; i++) {
          const orow = oo + i * n;
          const arow = ao + i * k;
          for (let p = p0; p < p1; p++) {
            const av = a[arow + p]!;
            if (av === 0) continue;
            const brow = bo + p * n;
            for (let j = 0; j < n; j++) out[orow + j] = out[orow + j]! + av * b[brow + j]!;
          }
        }
      }
    }
  }
}
