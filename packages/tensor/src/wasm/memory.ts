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

let callingThread: WebAssembly.Memory | undefined;

/**
 * The one private memory of the kernels that run on the calling thread (elementwise maps
 * and reductions, fused groups, im2col/col2im). They run one at a time and keep nothing
 * in it between calls, so they share it: it grows to the largest single use, not to the
 * sum of each kind's largest. Whoever grows it detaches the others' views, so each
 * checks `view.buffer === memory.buffer` before use.
 */
export function callingThreadMemory(): WebAssembly.Memory {
  // The maximum the kernels' memory imports declare (`ELEMENTWISE_MEMORY`): 4 GiB.
  callingThread ??= new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  return callingThread;
}
