/** Bytes in a WebAssembly memory page. */
export const PAGE = 65536;

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
