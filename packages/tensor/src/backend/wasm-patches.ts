import type { ConvPatchesParams } from '../core/primitives';
import type { Shape } from '../core/shape';
import { rowsRuntime } from '../wasm/rows';
import { tapBlocks } from './cpu-patches';

/** Operand regions start on 64-byte boundaries. */
const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * Moves float32 patches between `from` and `to` in WebAssembly: `from` is copied into
 * the private memory, the destination region zeroed, the tap blocks run (`add` for col2im,
 * `copy` for im2col), and the destination copied out. Returns false, touching nothing,
 * where WebAssembly is unavailable or the taps are not contiguous rows.
 */
function movePatches(
  from: Float32Array,
  to: Float32Array,
  inShape: Shape,
  p: ConvPatchesParams,
  fromCols: boolean,
): boolean {
  const rt = rowsRuntime();
  const walk =
    rt === null ? undefined : tapBlocks(inShape, p, fromCols, (fromCols ? from : to).length);
  if (rt === null || walk === undefined) return false;
  const toAt = align(from.length * 4);
  rt.reserve(toAt + to.length * 4);
  const f32 = rt.f32;
  const run = fromCols ? rt.add : rt.copy;
  f32.set(from, 0);
  f32.fill(0, toAt / 4, toAt / 4 + to.length);
  walk((f, t, m, n, fromRow, toRow) => run(f * 4, toAt + t * 4, m, n, fromRow * 4, toRow * 4));
  to.set(f32.subarray(toAt / 4, toAt / 4 + to.length));
  return true;
}

/** im2col of a float32 image into `cols`; false where the TypeScript path must run. */
export const im2colF32 = (
  image: Float32Array,
  cols: Float32Array,
  inShape: Shape,
  p: ConvPatchesParams,
): boolean => movePatches(image, cols, inShape, p, false);

/** col2im of float32 `cols` into `image`; false where the TypeScript path must run. */
export const col2imF32 = (
  cols: Float32Array,
  image: Float32Array,
  inShape: Shape,
  p: ConvPatchesParams,
): boolean => movePatches(cols, image, inShape, p, true);
