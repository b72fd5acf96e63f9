import os from 'node:os';
import { matmulF32, setNumThreads, wasmAvailable, whenThreadsReady } from '@jute/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { machinePeaks, type Peaks, peakLine } from './peak';
import { machineLine, useTfBackend } from './report';

/**
 * Square float32 matmul, GFLOP/s (2 n^3 / time) for Jute's WebAssembly kernel on one and
 * on all threads, a plain TypeScript loop, and TF.js's CPU and WASM backends.
 *
 * Each implementation is timed in several rounds, interleaved, and the best time is
 * kept: on a machine shared with other jobs, noise only ever adds time. Jute's timings
 * include copying inputs into and the result out of WebAssembly memory; TF.js's include
 * reading the result back with `dataSync`.
 */

type Impl = {
  readonly name: string;
  /** Prepares inputs for size n and returns the function to time (one product). */
  readonly setup: (n: number, a: Float32Array, b: Float32Array) => Promise<() => void>;
  /** Skip sizes where one product takes too long to time several rounds. */
  readonly maxN?: number;
};

/** Cache-blocked i-k-j triple loop: the best a straightforward TypeScript kernel does. */
export function matmulTs(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  const BI = 32;
  const BK = 128;
  const BJ = 512;
  c.fill(0, 0, m * n);
  for (let i0 = 0; i0 < m; i0 += BI) {
    const i1 = Math.min(m, i0 + BI);
    for (let p0 = 0; p0 < k; p0 += BK) {
      const p1 = Math.min(k, p0 + BK);
      for (let j0 = 0; j0 < n; j0 += BJ) {
        const j1 = Math.min(n, j0 + BJ);
        for (let i = i0; i < i1; i++) {
          const ci = i * n;
          for (let p = p0; p < p1; p++) {
            const av = a[i * k + p]!;
            const bp = p * n;
            for (let j = j0; j < j1; j++) c[ci + j]! += av * b[bp + j]!;
          }
        }
      }
    }
  }
}

/** Inputs of the last TF.js setup, released by the next one. */
const liveTensors: tf.Tensor[] = [];

function tfImpl(backend: 'cpu' | 'wasm', maxN?: number): Impl {
  return {
    name: `tfjs-${backend}`,
    ...(maxN === undefined ? {} : { maxN }),
    setup: async (n, a, b) => {
      for (const t of liveTensors.splice(0)) t.dispose();
      await useTfBackend(backend);
      const ta = tf.tensor2d(a, [n, n]);
      const tb = tf.tensor2d(b, [n, n]);
      liveTensors.push(ta, tb);
      return () => {
        const c = tf.matMul(ta, tb);
        c.dataSync();
        c.dispose();
      };
    },
  };
}

function juteImpl(threads: number | 'all'): Impl {
  const all = os.availableParallelism();
  return {
    name: threads === 'all' ? `jute-wasm x${all}` : `jute-wasm x${threads}`,
    setup: async (n, a, b) => {
      setNumThreads(threads === 'all' ? all : threads);
      await whenThreadsReady();
      return () => {
        matmulF32(a, b, n, n, n);
      };
    },
  };
}

const tsImpl: Impl = {
  name: 'plain-ts',
  maxN: 512,
  setup: async (n, a, b) => {
    const c = new Float32Array(n * n);
    return () => matmulTs(a, b, c, n, n, n);
  },
};

function randomMatrix(n: number): Float32Array {
  const x = new Float32Array(n * n);
  for (let i = 0; i < x.length; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Times `fn` repeatedly for about `budgetMs` and returns the best time in ms. */
function bestTime(fn: () => void, budgetMs: number, minReps: number): number {
  let best = Number.POSITIVE_INFINITY;
  const start = performance.now();
  for (let rep = 0; rep < minReps || performance.now() - start < budgetMs; rep++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
    if (rep > 1000) break;
  }
  return best;
}

export interface MatmulBenchOptions {
  readonly sizes?: readonly number[];
  readonly rounds?: number;
}

/** Runs the benchmark and prints a table; returns GFLOP/s by size and implementation. */
export async function runMatmulBench(
  options: MatmulBenchOptions = {},
): Promise<Map<number, Map<string, number>>> {
  const sizes = options.sizes ?? [128, 256, 512, 1024];
  const rounds = options.rounds ?? 5;
  if (!wasmAvailable()) throw new Error('WebAssembly SIMD is not available');
  const impls = [juteImpl(1), juteImpl('all'), tsImpl, tfImpl('cpu', 512), tfImpl('wasm')];

  console.log(machineLine());
  const peaks = machinePeaks();
  console.log(peakLine(peaks));
  const results = new Map<number, Map<string, number>>();
  for (const n of sizes) {
    const a = randomMatrix(n);
    const b = randomMatrix(n);
    const flops = 2 * n ** 3;
    const row = new Map<string, number>();
    results.set(n, row);
    const active = impls.filter((impl) => impl.maxN === undefined || n <= impl.maxN);
    const best = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      for (const impl of active) {
        // setup() switches thread counts and the active TF.js backend, so it runs right
        // before its own timing; the untimed first call warms up (tier-up, workers).
        const fn = await impl.setup(n, a, b);
        fn();
        const ms = bestTime(fn, 250, 3);
        best.set(impl.name, Math.min(best.get(impl.name) ?? ms, ms));
      }
    }
    for (const [name, ms] of best) row.set(name, flops / ms / 1e6);
  }
  printTable(
    results,
    impls.map((i) => i.name),
  );
  printShareOfPeak(results, `jute-wasm x${os.availableParallelism()}`, peaks);
  setNumThreads(os.availableParallelism());
  return results;
}

/** The multi-threaded kernel's best rate as a share of the two peaks of `peak.ts`. */
function printShareOfPeak(results: Map<number, Map<string, number>>, name: string, p: Peaks) {
  const shares = [...results].map(([n, row]) => {
    const g = row.get(name) ?? 0;
    const pct = (x: number) => `${((100 * g) / x).toFixed(0)}%`;
    return `n=${n} ${pct(p.wasmSimdGflops)} / ${pct(p.nativeGflops)}`;
  });
  console.log(
    `${name}, share of the WebAssembly SIMD ceiling / of native peak: ${shares.join(', ')}`,
  );
}

function printTable(results: Map<number, Map<string, number>>, names: string[]): void {
  const ref = 'tfjs-wasm';
  const header = ['impl', ...[...results.keys()].map((n) => `n=${n}`)];
  const lines: string[][] = [];
  for (const name of names) {
    const cells = [...results.values()].map((row) => {
      const g = row.get(name);
      const r = row.get(ref);
      if (g === undefined) return '-';
      return r === undefined ? g.toFixed(1) : `${g.toFixed(1)} (${(g / r).toFixed(2)}x)`;
    });
    lines.push([name, ...cells]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\nmatmul float32, GFLOP/s (ratio vs ${ref}), best of rounds:`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}
