import { describe, expect, it } from 'vitest';
import { allocate } from './dtype';

describe('allocate', () => {
  it('gives zeroed, disjoint buffers of the right type, small ones sharing slabs', () => {
    const sizes = [1, 17, 100, 4096, 16384, 16385, 70000];
    const bufs = (['float32', 'float64', 'int32', 'bool'] as const).flatMap((d) =>
      sizes.map((n) => allocate(d, n)),
    );
    for (const b of bufs) {
      expect(b.every((v) => v === 0)).toBe(true);
      b.fill(1);
    }
    // Writing every buffer never changed another one.
    for (const b of bufs) expect(b.every((v) => v === 1)).toBe(true);
    expect(allocate('float64', 3)).toBeInstanceOf(Float64Array);
    expect(allocate('bool', 300)).toBeInstanceOf(Uint8Array);
    expect(allocate('float64', 100).byteOffset % 8).toBe(0);
    // Small arrays are views into a shared buffer, large ones own theirs.
    expect(allocate('float32', 1000).buffer.byteLength).toBe(2 << 20);
    expect(allocate('float32', 1 << 20).byteOffset).toBe(0);
  });
});
