import { kernelMemory, type Operand } from '../wasm/matmul';
import { roundUp, scratchBase } from '../wasm/memory';

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
  // Operand regions start on 64-byte boundaries.
  const toAt = typeof to === 'number' ? to : base + roundUp(fromSize * 4, 64);
  const { f32 } = kernelMemory(Math.max(fromAt + fromSize * 4, toAt + toSize * 4))!;
  if (typeof from !== 'number') f32.set(from, fromAt / 4);
  if (!covers) f32.fill(0, toAt / 4, toAt / 4 + toSize);
  run(fromAt, toAt);
  if (typeof to !== 'number') to.set(f32.subarray(toAt / 4, toAt / 4 + toSize));
}
