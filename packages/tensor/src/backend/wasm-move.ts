import { kernelMemory, type Operand } from '../wasm/matmul';
import { scratchBase } from '../wasm/memory';

/** Operand regions start on 64-byte boundaries. */
const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * Runs a float32 data movement in WebAssembly memory, from `from` (`fromSize` elements)
 * to `to` (`toSize`): `run` gets the byte address of each. An operand given as an array
 * is copied in above `scratchBase()`, and `to` is then copied out after; an operand given
 * as an offset (a compiled program's arena) is used where it lies. `to` is zeroed first
 * unless the movement writes every element of it (`covers`).
 */
export function moveInMemory(
  from: Operand,
  fromSize: number,
  to: Operand,
  toSize: number,
  covers: boolean,
  run: (fromAt: number, toAt: number) => void,
): void {
  const base = scratchBase();
  const fromAt = typeof from === 'number' ? from : base;
  const toAt = typeof to === 'number' ? to : base + align(fromSize * 4);
  const { f32 } = kernelMemory(Math.max(fromAt + fromSize * 4, toAt + toSize * 4))!;
  if (typeof from !== 'number') f32.set(from, fromAt / 4);
  if (!covers) f32.fill(0, toAt / 4, toAt / 4 + toSize);
  run(fromAt, toAt);
  if (typeof to !== 'number') to.set(f32.subarray(toAt / 4, toAt / 4 + toSize));
}
