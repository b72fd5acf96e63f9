import type { ConvPatchesParams } from '../core/primitives';
import { type Shape, sizeOf } from '../core/shape';
import type { Operand } from '../wasm/matmul';
import { rowsRuntime } from '../wasm/rows';
import { tapBlocks } from './cpu-patches';
import { moveInMemory } from './wasm-move';

/**
 * Moves float32 patches between `from` and `to` in WebAssembly, as a function of the two
 * operands (arrays or offsets, as `moveInMemory` takes them), or undefined where
 * WebAssembly is unavailable or the taps are not contiguous rows (then the TypeScript
 * path must run). The destination is zeroed where taps leave some of it unwritten, and
 * the tap blocks run (`add` for col2im, `copy` for im2col).
 */
export function patchMover(
  inShape: Shape,
  colsSize: number,
  p: ConvPatchesParams,
  fromCols: boolean,
): ((from: Operand, to: Operand) => void) | undefined {
  const rt = rowsRuntime();
  const walk = rt === null ? undefined : tapBlocks(inShape, p, fromCols, colsSize);
  if (rt === null || walk === undefined) return undefined;
  const imageSize = sizeOf(inShape);
  const [fromSize, toSize] = fromCols ? [colsSize, imageSize] : [imageSize, colsSize];
  const run = fromCols ? rt.add : rt.copy;
  // im2col writes every element of its destination when no tap falls outside the image
  // (no padding, no holes from input dilation); clearing it first would double the
  // writes (half its time on the CNN's shapes). col2im adds, so it always clears.
  const covers =
    !fromCols &&
    p.padding.every(([lo, hi]) => lo <= 0 && hi <= 0) &&
    p.lhsDilation.every((d) => d === 1);
  return (from, to) =>
    moveInMemory(from, fromSize, to, toSize, covers, (fromAt, toAt) =>
      walk((f, t, m, n, fromRow, toRow) =>
        run(fromAt + f * 4, toAt + t * 4, m, n, fromRow * 4, toRow * 4),
      ),
    );
}

/** im2col of a float32 image into `cols`; false where the TypeScript path must run. */
export function im2colF32(
  image: Float32Array,
  cols: Float32Array,
  inShape: Shape,
  p: ConvPatchesParams,
): boolean {
  const move = patchMover(inShape, cols.length, p, false);
  move?.(image, cols);
  return move !== undefined;
}

/** col2im of float32 `cols` into `image`; false where the TypeScript path must run. */
export function col2imF32(
  cols: Float32Array,
  image: Float32Array,
  inShape: Shape,
  p: ConvPatchesParams,
): boolean {
  const move = patchMover(inShape, cols.length, p, true);
  move?.(cols, image);
  return move !== undefined;
}
