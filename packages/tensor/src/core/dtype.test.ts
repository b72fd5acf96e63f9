import { describe, expect, it } from 'vitest';
import { allocate, isRecyclable, recycleBuffer } from './dtype';

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

describe('recycleBuffer', () => {
  const big = 1 << 18; // elements: far above the slab limit

  it('hands a released large buffer out again, zeroed, and only once', () => {
    const a = allocate('float32', big);
    a.fill(7);
    expect(isRecyclable(a.buffer)).toBe(true);
    recycleBuffer(a.buffer);
    recycleBuffer(a.buffer); // a second release is ignored
    expect(isRecyclable(a.buffer)).toBe(false);
    const b = allocate('int32', big); // same byte length, another dtype
    expect(b.buffer).toBe(a.buffer);
    expect(b.every((v) => v === 0)).toBe(true);
    const c = allocate('float32', big);
    expect(c.buffer).not.toBe(a.buffer);
    // A kernel that overwrites everything may skip the clearing.
    b.fill(5);
    recycleBuffer(b.buffer);
    const d = allocate('float32', big, false);
    expect(d.buffer).toBe(b.buffer);
    expect(new Int32Array(d.buffer)[0]).toBe(5);
  });

  it('ignores buffers it did not make: user arrays, slabs of small arrays', () => {
    const user = new Float32Array(big);
    recycleBuffer(user.buffer);
    expect(allocate('float32', big).buffer).not.toBe(user.buffer);
    const small = allocate('float32', 100);
    expect(isRecyclable(small.buffer)).toBe(false);
    recycleBuffer(small.buffer);
    expect(allocate('float32', (2 << 20) / 4).buffer).not.toBe(small.buffer);
  });
});
