import { BufferUsage, type GpuBuffer, type GpuDevice } from './gpu-types';

/**
 * Rounds a request up to a size class: powers of two up to 64 KiB, then quarter octaves.
 * Training loops ask for the same shapes every step, so a few classes serve them all.
 */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, bytes);
  if (b <= 65536) return 2 ** Math.ceil(Math.log2(b));
  const step = 2 ** Math.floor(Math.log2(b)) / 4;
  return Math.ceil(b / step) * step;
}

/**
 * Reuses GPU buffers. A released buffer first waits in `limbo` until the commands recorded
 * so far are submitted: commands still being recorded may read it, and a `writeBuffer`
 * into it would run before them. After the next submit it is free for reuse; submitted
 * work is ordered before anything that reuses it.
 */
export class BufferPool {
  private readonly free = new Map<number, GpuBuffer[]>();
  private limbo: GpuBuffer[] = [];
  /** Bytes of every buffer the pool created and has not destroyed. */
  allocatedBytes = 0;
  /** Bytes of buffers waiting for reuse (free or in limbo). */
  idleBytes = 0;

  constructor(
    private readonly device: GpuDevice,
    /** Idle bytes above which free buffers are destroyed instead of kept. */
    private readonly maxIdleBytes = 256 << 20,
  ) {}

  acquire(bytes: number): GpuBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.idleBytes -= size;
      return reused;
    }
    this.allocatedBytes += size;
    return this.device.createBuffer({
      size,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
  }

  release(buffer: GpuBuffer): void {
    this.limbo.push(buffer);
    this.idleBytes += buffer.size;
  }

  /** Called after each submit: buffers in limbo become reusable (or are destroyed). */
  afterSubmit(): void {
    const waiting = this.limbo;
    this.limbo = [];
    for (const b of waiting) {
      if (this.idleBytes > this.maxIdleBytes) {
        // Destroying is safe after submit: the device frees it once submitted work is done.
        b.destroy();
        this.idleBytes -= b.size;
        this.allocatedBytes -= b.size;
        continue;
      }
      let list = this.free.get(b.size);
      if (list === undefined) {
        list = [];
        this.free.set(b.size, list);
      }
      list.push(b);
    }
  }

  /** Bytes held by arrays (allocated, not idle): what a memory test bounds. */
  get liveBytes(): number {
    return this.allocatedBytes - this.idleBytes;
  }
}
