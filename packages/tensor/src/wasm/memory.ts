/** Bytes in a WebAssembly memory page. */
export const PAGE = 65536;

/** `x` rounded up to a multiple of `to` (kernel operands start on aligned addresses). */
export function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * Grows `memory` to at least `bytes`. It grows by half its size at least, so a sequence
 * of growing shapes grows it rarely, and by just what is needed where that fails (the
 * address space may be short). Returns whether it grew: views over the old buffer must
 * then be remade.
 */
export function growMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return false;
  const need = Math.ceil((bytes - have) / PAGE);
  try {
    memory.grow(Math.max(need, Math.ceil(have / PAGE / 2)));
  } catch {
    memory.grow(need);
  }
  return true;
}

/**
 * Every WebAssembly kernel (matrix products, elementwise maps, reductions, fused groups,
 * im2col/col2im) addresses one memory, the matmul's. From the bottom: 64 bytes of
 * alignment, the matmul's kept packed weights (at most `KEPT_PACKS_BYTES`), the stack of
 * program arenas, then each call's operands from `scratchBase()` up. It grows to the
 * largest single use, not to the sum of each kind's largest.
 */
export const KEPT_PACKS_BYTES = 4 << 20;
const STACK_BOTTOM = 64 + KEPT_PACKS_BYTES;
let stackTop = STACK_BOTTOM;

/**
 * First byte no running program owns: kernels lay out their per-call operands from here.
 * A compiled program's arena is a frame on a stack (a scan body's frame sits above its
 * caller's), so scratch above the top never overwrites a live value.
 */
export function scratchBase(): number {
  return stackTop;
}

/** Claims a frame of `bytes` on the arena stack; returns its byte offset. */
export function pushFrame(bytes: number): number {
  const base = stackTop;
  stackTop = base + roundUp(bytes, 64);
  return base;
}

/** Releases the frame at `base` and every frame above it. */
export function popFrame(base: number): void {
  stackTop = base;
}
