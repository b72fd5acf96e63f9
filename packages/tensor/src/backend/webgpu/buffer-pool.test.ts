import { describe, expect, it } from 'vitest';
import { BufferPool, sizeClass } from './buffer-pool';
import type { GpuBuffer, GpuDevice } from './gpu-types';

/** A device that only creates buffers, recording which were destroyed. */
function fakeDevice() {
  const destroyed: GpuBuffer[] = [];
  let created = 0;
  const device = {
    createBuffer: ({ size }: { size: number }) => {
      created++;
      const b: GpuBuffer = {
        size,
        destroy: () => destroyed.push(b),
        mapAsync: async () => {},
        getMappedRange: () => new ArrayBuffer(0),
        unmap: () => {},
      };
      return b;
    },
  } as unknown as GpuDevice;
  return { device, destroyed, created: () => created };
}

describe('sizeClass', () => {
  it('covers the request, with at most 25% slack above 64 KiB', () => {
    for (const n of [1, 4, 17, 1000, 65536, 65537, 100_000, 3_000_000, 67_108_864]) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(Math.max(16, n));
      if (n > 65536) expect(c).toBeLessThanOrEqual(n * 1.25 + 1);
    }
    expect(sizeClass(1000)).toBe(1024);
  });
});

describe('BufferPool', () => {
  it('reuses a released buffer only after the next submit', () => {
    const f = fakeDevice();
    const pool = new BufferPool(f.device);
    const a = pool.acquire(1000);
    pool.release(a);
    // Still in limbo: recorded commands may read it, so a new request gets a new buffer.
    const b = pool.acquire(1000);
    expect(b).not.toBe(a);
    pool.afterSubmit();
    expect(pool.acquire(1000)).toBe(a);
    expect(f.created()).toBe(2);
  });

  it('destroys idle buffers beyond its cap and keeps the byte counts', () => {
    const f = fakeDevice();
    const pool = new BufferPool(f.device, 4096);
    const bufs = [1, 2, 3].map(() => pool.acquire(4096));
    expect(pool.allocatedBytes).toBe(3 * 4096);
    expect(pool.liveBytes).toBe(3 * 4096);
    for (const b of bufs) pool.release(b);
    pool.afterSubmit();
    expect(f.destroyed.length).toBe(2);
    expect(pool.allocatedBytes).toBe(4096);
    expect(pool.liveBytes).toBe(0);
  });
});
