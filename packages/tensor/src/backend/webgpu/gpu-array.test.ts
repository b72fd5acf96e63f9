import { describe, expect, it } from 'vitest';
import { ConcreteArray } from '../../core/array';
import { SyncReadError } from './errors';
import { GpuArray } from './gpu-array';
import type { GpuStorage } from './gpu-storage';
import type { GpuRuntime } from './runtime';

/** A runtime whose read-back returns fixed words (what the device would send). */
const fakeRuntime = (words: Uint32Array | Float32Array) =>
  ({ read: async () => words.buffer.slice(0) }) as unknown as GpuRuntime;

describe('GpuArray', () => {
  it('refuses synchronous reads with a SyncReadError that names dataAsync', () => {
    const x = new GpuArray({} as GpuStorage, [2], 'float32', fakeRuntime(new Float32Array(2)));
    expect(() => x.data()).toThrow(SyncReadError);
    const one = new GpuArray({} as GpuStorage, [1], 'float32', fakeRuntime(new Float32Array(1)));
    expect(() => one.item()).toThrow(/dataAsync/);
    expect(String(x)).toMatch(/on webgpu/);
  });

  it('reads back asynchronously, then also synchronously; bool words narrow to bytes', async () => {
    const f = new GpuArray({} as GpuStorage, [2], 'float32', fakeRuntime(Float32Array.of(1.5, -2)));
    expect(Array.from(await f.dataAsync())).toEqual([1.5, -2]);
    expect(Array.from(f.data())).toEqual([1.5, -2]);
    const b = new GpuArray({} as GpuStorage, [3], 'bool', fakeRuntime(Uint32Array.of(1, 0, 1)));
    const d = await b.dataAsync();
    expect(d).toBeInstanceOf(Uint8Array);
    expect(Array.from(d)).toEqual([1, 0, 1]);
  });

  it('is not a ConcreteArray, so value checks skip it as they skip tracers', () => {
    const x = new GpuArray({} as GpuStorage, [1], 'int32', fakeRuntime(new Uint32Array(1)));
    expect(x instanceof ConcreteArray).toBe(false);
  });
});
