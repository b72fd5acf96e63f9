import { afterEach, describe, expect, it, vi } from 'vitest';

// Each case loads fresh modules: the runtimes are created once per module instance, and
// the point is what they decide when `SharedArrayBuffer` is (or is not) there at start.
afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('backendInfo', () => {
  it('reports the WebAssembly backend with threads where shared memory exists', async () => {
    const { backendInfo } = await import('./backend-info');
    const info = backendInfo();
    expect(info.sharedMemory).toBe(true);
    expect(info.simd).toBe(true);
    expect(info.backend).toBe(process.env.JUTE_BACKEND === 'cpu' ? 'cpu' : 'wasm');
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it('keeps the WebAssembly kernels, on one thread, without SharedArrayBuffer', async () => {
    // What a web page without COOP/COEP headers sees.
    vi.stubGlobal('SharedArrayBuffer', undefined);
    // The fresh core needs the entry's wiring (default backend) like a user's program.
    await import('../index');
    const { backendInfo } = await import('./backend-info');
    const { matmulF32, wasmAvailable } = await import('./matmul');
    expect(wasmAvailable()).toBe(true);
    const info = backendInfo();
    expect(info).toMatchObject({ sharedMemory: false, simd: true, threads: 1 });
    if (process.env.JUTE_BACKEND !== 'cpu') expect(info.backend).toBe('wasm');
    // [[1,2],[3,4]] @ [[5,6],[7,8]] by hand: [[19,22],[43,50]].
    const c = matmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), 2, 2, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  it('runs a product large enough for the pool on the calling thread without shared memory', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const { matmulF32, setNumThreads, getNumThreads } = await import('./matmul');
    setNumThreads(4); // asks for threads it cannot have
    expect(getNumThreads()).toBe(1);
    const n = 192; // 192^3 multiply-adds: above the pool's threshold
    const a = new Float32Array(n * n).map((_, i) => (i % 7) - 3);
    const b = new Float32Array(n * n).map((_, i) => (i % 5) - 2);
    const c = matmulF32(a, b, n, n, n);
    // Row 0, column 0 by an independent float64 sum.
    let want = 0;
    for (let p = 0; p < n; p++) want += a[p]! * b[p * n]!;
    expect(c[0]).toBeCloseTo(want, 3);
  });
});
