import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JuteError } from '../core/errors';
import {
  clearWorkerFault,
  getNumThreads,
  injectWorkerFault,
  kernelMemory,
  matmulF32,
  matmulF32Batched,
  matmulF32Into,
  packStats,
  setNumThreads,
  threadTicketCounts,
  wasmAvailable,
  whenThreadsReady,
} from './matmul';
import { buildMatmulModule, defaultKernelConfig } from './matmul-kernel';
import { popFrame, pushFrame, scratchBase } from './memory';

/** Deterministic values in [-1, 1) so failures reproduce. */
function randomArray(length: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** Naive triple loop in float64, reading A and B through strides (for transposes). */
function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i]! : a[i * k + p]!;
        const y = transB ? b[j * k + p]! : b[p * n + j]!;
        s += x * y;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Asserts |got - want| <= tol * sqrt(k) elementwise (f32 rounding grows with k). */
function expectClose(got: Float32Array, want: Float64Array, k: number): void {
  expect(got.length).toBe(want.length);
  const tol = 2e-6 * Math.sqrt(Math.max(k, 1)) * 4;
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect(worst, `max error ${worst} at ${at}`).toBeLessThanOrEqual(tol);
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [2, 3, 4],
  [3, 1, 5],
  [5, 1, 17],
  [4, 8, 8],
  [7, 9, 11],
  [8, 8, 16],
  [13, 300, 17],
  [1, 513, 33],
  [33, 2, 1],
  [64, 257, 9],
  [129, 64, 127],
  [257, 129, 65],
  [31, 1000, 3],
];

describe('buildMatmulModule', () => {
  it('emits a small valid module (sync compile on a browser main thread allows <= 4 KiB)', () => {
    const bytes = buildMatmulModule(defaultKernelConfig, true);
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(4096);
  });

  it('runs on an unshared memory (the fallback without workers), for other tile shapes', () => {
    const [m, k, n] = [11, 37, 29];
    const a = randomArray(m * k, 51);
    const b = randomArray(k * n, 52);
    const want = reference(a, b, m, k, n);
    for (const tile of [
      { mr: 4, nr: 8, unroll: 1 },
      { mr: 6, nr: 8, unroll: 2 },
      { mr: 2, nr: 12, unroll: 4 },
    ]) {
      const cfg = { ...defaultKernelConfig, ...tile, kc: 16, mc: tile.mr * 4 };
      const memory = new WebAssembly.Memory({ initial: 4, maximum: 4 });
      const ex = new WebAssembly.Instance(new WebAssembly.Module(buildMatmulModule(cfg, false)), {
        env: { memory },
      }).exports as Record<string, (...args: number[]) => void>;
      const f32 = new Float32Array(memory.buffer);
      const kPad = Math.ceil(k / cfg.unroll) * cfg.unroll;
      const panels = Math.ceil(n / cfg.nr);
      const [ap, tmp, aOff, bOff, bpOff] = [0, 8192, 16384, 32768, 65536];
      const cOff = bpOff + panels * kPad * cfg.nr * 4;
      f32.set(a, aOff / 4);
      f32.set(b, bOff / 4);
      ex.pack_b!(bOff, n, 1, bpOff, k, kPad, n, 0, panels);
      // Row blocks of at most mc rows, as the runtime issues them.
      for (let r0 = 0; r0 < m; r0 += cfg.mc) {
        const r1 = Math.min(m, r0 + cfg.mc);
        ex.gemm!(aOff, k, 1, bpOff, cOff, n, k, kPad, r0, r1, 0, n, ap, tmp, 0);
      }
      expectClose(f32.slice(cOff / 4, cOff / 4 + m * n), want, k);
    }
  });
});

describe('matmulF32 (calling thread only)', () => {
  beforeAll(() => setNumThreads(1));

  it('is available in Node', () => {
    expect(wasmAvailable()).toBe(true);
    expect(getNumThreads()).toBe(1);
  });

  it.each(shapes)('%i x %i x %i matches a float64 triple loop', (m, k, n) => {
    const a = randomArray(m * k, m * 1000 + k);
    const b = randomArray(k * n, n * 7 + 3);
    expectClose(matmulF32(a, b, m, k, n), reference(a, b, m, k, n), k);
  });

  it('computes a known product', () => {
    const c = matmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), 2, 2, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  it('handles transposed operands and accumulation', () => {
    const [m, k, n] = [37, 45, 29];
    const a = randomArray(m * k, 11);
    const b = randomArray(k * n, 12);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const out = matmulF32Into(new Float32Array(m * n), a, b, m, k, n, { transA, transB });
        expectClose(out, reference(a, b, m, k, n, transA, transB), k);
      }
    }
    const start = randomArray(m * n, 13);
    const out = matmulF32Into(start.slice(), a, b, m, k, n, { accumulate: true });
    const want = reference(a, b, m, k, n).map((x, i) => x + start[i]!);
    expectClose(out, want, k);
  });

  it('runs batches, with transposes, in one call', () => {
    const [batch, m, k, n] = [5, 19, 23, 21];
    const a = randomArray(batch * m * k, 31);
    const b = randomArray(batch * k * n, 32);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const out = new Float32Array(batch * m * n);
        matmulF32Batched(a, b, out, batch, m, k, n, { transA, transB });
        for (let i = 0; i < batch; i++) {
          const ai = a.subarray(i * m * k, (i + 1) * m * k);
          const bi = b.subarray(i * k * n, (i + 1) * k * n);
          const want = reference(ai, bi, m, k, n, transA, transB);
          expectClose(out.subarray(i * m * n, (i + 1) * m * n), want, k);
        }
      }
    }
  });

  it('reuses a kept packed operand only for the same array, layout and shape', () => {
    const [m, k, n] = [9, 70, 40];
    const a = randomArray(m * k, 51);
    const b = randomArray(k * n, 52);
    const other = randomArray(k * n, 53);
    const run = (bb: Float32Array, transB: boolean, cacheB = true) => {
      const out = new Float32Array(m * n);
      matmulF32Batched(a, bb, out, 1, m, k, n, { transB, cacheB });
      return out;
    };
    for (let rep = 0; rep < 3; rep++) {
      for (const transB of [false, true]) {
        expectClose(run(b, transB), reference(a, b, m, k, n, false, transB), k);
        expectClose(run(other, transB), reference(a, other, m, k, n, false, transB), k);
        expectClose(run(b.slice(), transB, false), reference(a, b, m, k, n, false, transB), k);
      }
    }
    // A different shape over the same array is a different operand.
    const a2 = randomArray(m * k * 2, 54);
    const out = new Float32Array(m * (n / 2));
    matmulF32Batched(a2, b, out, 1, m, k * 2, n / 2, { cacheB: true });
    expectClose(out, reference(a2, b, m, k * 2, n / 2), k * 2);
    // Many distinct operands overflow the kept area, which then starts over; operands
    // too large to keep are packed per call.
    for (const [i, [kk, nn]] of [...Array(12).fill([400, 500]), [1500, 1500]].entries()) {
      const bb = randomArray(kk * nn, 60 + i);
      const aa = randomArray(2 * kk, 70 + i);
      const o = new Float32Array(2 * nn);
      matmulF32Batched(aa, bb, o, 1, 2, kk, nn, { cacheB: true });
      if (i % 4 === 0) expectClose(o, reference(aa, bb, 2, kk, nn), kk);
    }
    expectClose(run(b, false), reference(a, b, m, k, n), k);
  });

  it('packs a weight used at every time step once (the recurrent weight of an LSTM)', () => {
    const [k, n] = [32, 128];
    const w = randomArray(k * n, 80);
    const before = packStats();
    for (let t = 0; t < 20; t++) {
      const h = randomArray(4 * k, 81 + t);
      const out = new Float32Array(4 * n);
      matmulF32Batched(h, w, out, 1, 4, k, n, { cacheB: true });
      if (t % 7 === 0) expectClose(out, reference(h, w, 4, k, n), k);
    }
    const after = packStats();
    expect(after.packed - before.packed).toBe(1);
    expect(after.reused - before.reused).toBe(19);
  });

  it('handles empty dimensions', () => {
    expect(matmulF32(new Float32Array(0), new Float32Array(0), 0, 3, 0).length).toBe(0);
    expect(Array.from(matmulF32(new Float32Array(0), new Float32Array(0), 2, 0, 2))).toEqual([
      0, 0, 0, 0,
    ]);
    const out = new Float32Array([1, 2]);
    matmulF32Into(out, new Float32Array(0), new Float32Array(0), 1, 0, 2, { accumulate: true });
    expect(Array.from(out)).toEqual([1, 2]);
  });

  it('rejects arrays shorter than their shapes', () => {
    expect(() => matmulF32(new Float32Array(3), new Float32Array(4), 2, 2, 2)).toThrow(RangeError);
  });

  it('does not leak: results stay right as shapes shrink and grow again', () => {
    for (const [m, k, n] of [
      [300, 200, 100],
      [3, 2, 1],
      [300, 200, 100],
    ] as const) {
      const a = randomArray(m * k, m + k);
      const b = randomArray(k * n, k + n);
      expectClose(matmulF32(a, b, m, k, n), reference(a, b, m, k, n), k);
    }
  });
});

describe('matmulF32 (worker pool)', () => {
  let threads = 1;
  beforeAll(async () => {
    setNumThreads(3);
    threads = await whenThreadsReady();
  });
  afterAll(() => setNumThreads(1));

  it('starts the workers', () => {
    expect(getNumThreads()).toBe(3);
    expect(threads).toBe(3);
  });

  it.each([
    [257, 129, 129],
    [300, 300, 300],
    [8, 700, 900],
    [513, 129, 65],
    [160, 160, 170],
  ] as const)('%i x %i x %i matches a float64 triple loop on all threads', (m, k, n) => {
    const a = randomArray(m * k, 5 * m + k);
    const b = randomArray(k * n, 3 * n + 1);
    const want = reference(a, b, m, k, n);
    const before = threadTicketCounts();
    // Repeat so every worker has woken for at least one job.
    for (let rep = 0; rep < 20; rep++) expectClose(matmulF32(a, b, m, k, n), want, k);
    const after = threadTicketCounts();
    expect(after.reduce((s, x) => s + x, 0)).toBeGreaterThan(before.reduce((s, x) => s + x, 0));
  });

  it('reads and writes operands given as offsets in place, on all threads, above a live frame', () => {
    const [m, k, n] = [300, 129, 129];
    const a = randomArray(m * k, 61);
    const b = randomArray(k * n, 62);
    const want = reference(a, b, m, k, n);
    const [aAt, bAt, cAt, guardAt] = [
      0,
      m * k * 4,
      (m * k + k * n) * 4,
      (m * k + k * n + m * n) * 4,
    ];
    const guard = randomArray(4096, 63);
    const frame = pushFrame(guardAt + guard.length * 4);
    try {
      let f32 = new Float32Array(kernelMemory(frame + guardAt + guard.length * 4)!.memory.buffer);
      f32.set(a, (frame + aAt) / 4);
      f32.set(b, (frame + bAt) / 4);
      f32.set(guard, (frame + guardAt) / 4);
      // Operands in memory, mixed with arrays, and a result written there.
      const before = threadTicketCounts().reduce((s, x) => s + x, 0);
      matmulF32Batched(frame + aAt, b, frame + cAt, 1, m, k, n);
      matmulF32Batched(a, frame + bAt, frame + cAt, 1, m, k, n, {
        accumulate: true,
      });
      f32 = new Float32Array(kernelMemory()!.memory.buffer);
      const c = f32.slice((frame + cAt) / 4, (frame + cAt) / 4 + m * n);
      expectClose(
        c,
        want.map((x) => 2 * x),
        2 * k,
      );
      expect(threadTicketCounts().reduce((s, x) => s + x, 0)).toBeGreaterThan(before + 2);
      // The per-call scratch lies above the frame: the guard behind the result is intact.
      expect(scratchBase()).toBeGreaterThanOrEqual(frame + guardAt + guard.length * 4);
      expect(
        Array.from(f32.subarray((frame + guardAt) / 4, (frame + guardAt) / 4 + guard.length)),
      ).toEqual(Array.from(guard));
    } finally {
      popFrame(frame);
    }
    expect(scratchBase()).toBe(frame);
  });

  it('splits a long depth into slices summed after, where rows and columns give too few tickets', () => {
    // A first layer's weight gradient: 9 x 32 outputs over a depth of 15,013 (not a
    // multiple of the slice count, so the last rows take the remainder path).
    const [m, k, n] = [9, 15013, 32];
    const a = randomArray(k * m, 71);
    const b = randomArray(k * n, 72);
    for (const accumulate of [false, true]) {
      const start = randomArray(m * n, 73);
      const out = matmulF32Into(start.slice(), a, b, m, k, n, { transA: true, accumulate });
      const want = reference(a, b, m, k, n, true).map((x, i) => x + (accumulate ? start[i]! : 0));
      const before = threadTicketCounts();
      expectClose(out, want, k);
      // Several tickets, on more than one thread, for a product of one ticket's rows and columns.
      matmulF32Into(new Float32Array(m * n), a, b, m, k, n, { transA: true });
      const after = threadTicketCounts();
      const tickets = after.map((x, i) => x - (before[i] ?? 0));
      expect(tickets.reduce((s, x) => s + x, 0)).toBeGreaterThanOrEqual(threads * 2);
    }
  });

  it('runs a batch of small products as one job', () => {
    const [batch, m, k, n] = [64, 12, 40, 36];
    const a = randomArray(batch * m * k, 41);
    const b = randomArray(batch * k * n, 42);
    const out = new Float32Array(batch * m * n);
    for (let rep = 0; rep < 5; rep++) matmulF32Batched(a, b, out, batch, m, k, n);
    for (let i = 0; i < batch; i++) {
      const ai = a.subarray(i * m * k, (i + 1) * m * k);
      const bi = b.subarray(i * k * n, (i + 1) * k * n);
      expectClose(out.subarray(i * m * n, (i + 1) * m * n), reference(ai, bi, m, k, n), k);
    }
  });

  it('spreads tickets over more than the calling thread', () => {
    const [m, k, n] = [512, 256, 512];
    const a = randomArray(m * k, 1);
    const b = randomArray(k * n, 2);
    const before = threadTicketCounts();
    for (let rep = 0; rep < 30; rep++) matmulF32(a, b, m, k, n);
    const after = threadTicketCounts();
    const byWorkers = after.slice(1).reduce((s, x, i) => s + x - (before[i + 1] ?? 0), 0);
    expect(byWorkers).toBeGreaterThan(0);
  });

  it('throws in the caller when a worker fails inside a kernel, and keeps working', () => {
    // Regression: a worker that threw never finished its ticket, so the caller waited
    // forever in Atomics.wait.
    const [m, k, n] = [512, 256, 512];
    const a = randomArray(m * k, 31);
    const b = randomArray(k * n, 32);
    const want = reference(a, b, m, k, n);
    expect(injectWorkerFault()).toBe(true);
    let caught: unknown;
    // The fault fires on the first ticket a worker claims; the calling thread may take
    // every ticket of a job before a worker wakes, so try a few jobs.
    for (let rep = 0; rep < 50 && caught === undefined; rep++) {
      const out = new Float32Array(m * n).fill(7);
      try {
        matmulF32Into(out, a, b, m, k, n);
      } catch (e) {
        caught = e;
        // The caller's buffer is not half-written.
        expect(out.every((v) => v === 7)).toBe(true);
      }
    }
    clearWorkerFault();
    expect(caught).toBeInstanceOf(JuteError);
    expect(String((caught as Error).message)).toMatch(
      /matmul: pool worker \d+ failed: .*fault injected by the test hook/,
    );
    // The same pool serves the next jobs, workers included.
    const before = threadTicketCounts();
    for (let rep = 0; rep < 10; rep++) expectClose(matmulF32(a, b, m, k, n), want, k);
    const after = threadTicketCounts();
    const byWorkers = after.slice(1).reduce((s, x, i) => s + x - (before[i + 1] ?? 0), 0);
    expect(byWorkers).toBeGreaterThan(0);
  });

  it('shrinks and grows the pool between calls', () => {
    const [m, k, n] = [200, 150, 100];
    const a = randomArray(m * k, 21);
    const b = randomArray(k * n, 22);
    const want = reference(a, b, m, k, n);
    for (const t of [2, 1, 4, 2]) {
      setNumThreads(t);
      expectClose(matmulF32(a, b, m, k, n), want, k);
    }
  });
});
