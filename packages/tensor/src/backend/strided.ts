import type { TypedArray } from '../dtype';
import type { Shape } from '../shape';

/**
 * Copies `src` into `dst` visiting the output in row-major order, reading the input at
 * `srcOffset + Σ idx[i]·srcStrides[i]`. Transpose, broadcast and slice are all this
 * loop with different strides; the innermost axis runs as a tight loop.
 */
export function stridedCopy(
  src: TypedArray,
  dst: TypedArray,
  outShape: Shape,
  srcStrides: readonly number[],
  srcOffset: number,
): void {
  const nd = outShape.length;
  if (nd === 0) {
    dst[0] = src[srcOffset]!;
    return;
  }
  const inner = outShape[nd - 1]!;
  const innerStride = srcStrides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  const total = dst.length;
  let base = srcOffset;
  for (let o = 0; o < total; o += inner) {
    if (innerStride === 1) for (let j = 0; j < inner; j++) dst[o + j] = src[base + j]!;
    else if (innerStride === 0) dst.fill(src[base]!, o, o + inner);
    else for (let j = 0, s = base; j < inner; j++, s += innerStride) dst[o + j] = src[s]!;
    // Odometer over the outer axes.
    for (let ax = nd - 2; ax >= 0; ax--) {
      idx[ax]!++;
      base += srcStrides[ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      base -= srcStrides[ax]! * outShape[ax]!;
      idx[ax] = 0;
    }
  }
}
