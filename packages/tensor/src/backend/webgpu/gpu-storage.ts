import type { BufferPool } from './buffer-pool';
import type { GpuBuffer } from './gpu-types';

interface Held {
  pool: BufferPool;
  buffer: GpuBuffer;
}

// Storage objects are shared by arrays that alias one buffer (a reshape is free), so the
// buffer goes back to the pool when the last of them is collected: no refcounts in user
// code, as the design asks ("users never call dispose").
const registry = /*#__PURE__*/ new FinalizationRegistry<Held>((held) =>
  held.pool.release(held.buffer),
);

/**
 * One GPU buffer owned by one or more arrays. Garbage collection of the last array that
 * references it returns the buffer to the pool; a compiled program may release its
 * intermediates earlier, when it knows they are dead.
 */
export class GpuStorage {
  #buffer: GpuBuffer | undefined;
  constructor(
    private readonly pool: BufferPool,
    buffer: GpuBuffer,
    /** Bytes in use (the buffer may be larger: size classes). */
    readonly bytes: number,
  ) {
    this.#buffer = buffer;
    registry.register(this, { pool, buffer }, this);
  }

  get buffer(): GpuBuffer {
    if (this.#buffer === undefined) {
      throw new Error('webgpu: internal error: a released GPU buffer was used');
    }
    return this.#buffer;
  }

  /** Returns the buffer to the pool now (the program that made it knows it is dead). */
  release(): void {
    if (this.#buffer === undefined) return;
    registry.unregister(this);
    this.pool.release(this.#buffer);
    this.#buffer = undefined;
  }
}
