import { type Shape, sizeOf, stridesOf } from '../core/shape';
import type { Operand } from '../wasm/matmul';
import { rowsRuntime } from '../wasm/rows';
import { planCopy, walkOuter } from './strided';
import { moveInMemory } from './wasm-move';

/**
 * Rows shorter than a vector gain nothing from the row kernel's four-word steps. A
 * transpose that moves the last axis has rows of one element and stays on the TypeScript
 * kernel's cache-blocked tiles.
 */
const MIN_ROW_WORDS = 4;

/**
 * Permutes the axes of a float32 `inShape` array in WebAssembly, as a function of its two
 * operands (arrays or offsets, as `moveInMemory` takes them), or undefined where
 * WebAssembly is unavailable or the last axis does not keep rows of at least a vector.
 * The copy is planned as the TypeScript kernel plans it (`planCopy`: size-1 axes
 * dropped, contiguous neighbours merged): an odometer over the outer axes, and at each
 * position one call of the row kernel for a block of contiguous rows. Attention's head
 * split `[b, t, h, d] → [b, h, t, d]` of `[32, 64, 12, 16]` is 384 calls, each of 64
 * rows of 16 words, instead of a JavaScript loop over every element.
 */
export function transposeMover(
  inShape: Shape,
  perm: readonly number[],
): ((from: Operand, to: Operand) => void) | undefined {
  const rt = rowsRuntime();
  if (rt === null) return undefined;
  const strides = stridesOf(inShape);
  const outShape = perm.map((a) => inShape[a]!);
  const plan = planCopy(
    outShape,
    perm.map((a) => strides[a]!),
    stridesOf(outShape),
    1,
  );
  if (plan.kind !== 'rows' || plan.n < MIN_ROW_WORDS) return undefined;
  const size = sizeOf(inShape);
  const { m, n, srcRow, dstRow } = plan;
  return (from, to) =>
    moveInMemory(from, size, to, size, true, (fromAt, toAt) =>
      walkOuter(plan, 0, 0, (s, d) =>
        rt.copy(fromAt + s * 4, toAt + d * 4, m, n, srcRow * 4, dstRow * 4),
      ),
    );
}
