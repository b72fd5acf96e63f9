import type { Array } from '../core/array';
import { leaves } from '../core/tree';

/**
 * Resolves once every array in `tree` is computed (JAX's `block_until_ready`), and
 * returns the tree. On the CPU and WebAssembly backends arrays are computed when they
 * are created, so it resolves at once; on WebGPU it waits for the device.
 * @example await jt.blockUntilReady(params);
 */
export async function blockUntilReady<T>(tree: T): Promise<T> {
  await Promise.all(leaves<Array>(tree).map((x) => x.dataAsync()));
  return tree;
}
