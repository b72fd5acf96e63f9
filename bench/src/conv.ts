import os from 'node:os';
import * as jt from '@jute/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { machineLine, median, printTable, useTfBackend } from './report';

/**
 * Forward time of the MNIST CNN's two convolution layers (3×3, VALID, stride 1, NHWC ×
 * HWIO, batch 64): Jute's default backend against TF.js's CPU and WASM backends, in
 * the same process on the same inputs. Each timing reads the result back (`data()` /
 * `dataSync()`), so lazy or asynchronous backends pay for the work they defer.
 */

interface Layer {
  readonly name: string;
  readonly x: readonly [number, number, number, number];
  readonly k: readonly [number, number, number, number];
}

/** conv1 sees the 28×28 image, conv2 the 13×13×32 map after the first 2×2 pool. */
export const MNIST_CONV_LAYERS: readonly Layer[] = [
  { name: 'conv1 3x3x1x32', x: [64, 28, 28, 1], k: [3, 3, 1, 32] },
  { name: 'conv2 3x3x32x64', x: [64, 13, 13, 32], k: [3, 3, 32, 64] },
];

type Impl = {
  readonly name: string;
  /** Prepares the layer's inputs and returns one forward pass (result read back) to time. */
  readonly setup: (l: Layer, x: Float32Array, k: Float32Array) => Promise<() => Float32Array>;
};

function juteImpl(threads: number | undefined): Impl {
  const backend = jt.getBackend().name;
  return {
    name: threads === undefined ? `jute (${backend})` : `jute (${backend}) x${threads}`,
    setup: async (l, xv, kv) => {
      if (backend === 'wasm') {
        jt.setNumThreads(threads ?? os.availableParallelism());
        await jt.whenThreadsReady();
      }
      const x = jt.array(xv, { shape: [...l.x] });
      const k = jt.array(kv, { shape: [...l.k] });
      return () => jt.conv(x, k, { padding: 'VALID' }).data() as Float32Array;
    },
  };
}

const live: tf.Tensor[] = [];

function tfImpl(backend: 'cpu' | 'wasm'): Impl {
  return {
    name: `tfjs-${backend}`,
    setup: async (l, xv, kv) => {
      for (const t of live.splice(0)) t.dispose();
      await useTfBackend(backend);
      const x = tf.tensor4d(xv, [...l.x]);
      const k = tf.tensor4d(kv, [...l.k]);
      live.push(x, k);
      return () => {
        const y = tf.conv2d(x, k, 1, 'valid');
        const out = y.dataSync() as Float32Array;
        y.dispose();
        return out;
      };
    },
  };
}

const random = (n: number, scale = 1) => {
  const a = new Float32Array(n);
  for (let i = 0; i < a.length; i++) a[i] = (Math.random() * 2 - 1) * scale;
  return a;
};

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export interface ConvBenchOptions {
  /** Timed repetitions per layer and implementation (after 3 warm-up passes). */
  readonly reps?: number;
}

/** Runs the benchmark, prints a table and returns the median ms by implementation and layer. */
export async function runConvBench(
  options: ConvBenchOptions = {},
): Promise<Map<string, Map<string, number>>> {
  const reps = Math.max(10, options.reps ?? 20);
  const impls = [juteImpl(undefined), tfImpl('cpu'), tfImpl('wasm')];
  if (jt.getBackend().name === 'wasm' && os.availableParallelism() > 1) {
    // TF.js's WASM backend runs single-threaded in Node; this row is the like-for-like one.
    impls.splice(1, 0, juteImpl(1));
  }
  console.log(machineLine());
  const results = new Map<string, Map<string, number>>(impls.map((i) => [i.name, new Map()]));
  const maxDiff = new Map<string, number>();
  for (const layer of MNIST_CONV_LAYERS) {
    const xv = random(size(layer.x));
    const kv = random(size(layer.k), 1 / Math.sqrt(size(layer.k.slice(0, 3))));
    let reference: Float32Array | undefined;
    for (const impl of impls) {
      const fn = await impl.setup(layer, xv, kv);
      for (let i = 0; i < 3; i++) fn();
      const times: number[] = [];
      let out: Float32Array | undefined;
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        out = fn();
        times.push(performance.now() - t0);
      }
      results.get(impl.name)!.set(layer.name, median(times));
      // Every implementation must compute the same convolution as the first one.
      reference ??= out;
      let d = 0;
      for (let i = 0; i < reference!.length; i++)
        d = Math.max(d, Math.abs(reference![i]! - out![i]!));
      maxDiff.set(impl.name, Math.max(maxDiff.get(impl.name) ?? 0, d));
      if (out!.length !== reference!.length || d > 1e-3) {
        throw new Error(`${impl.name} disagrees with ${impls[0]!.name} on ${layer.name}: ${d}`);
      }
    }
  }
  if (jt.getBackend().name === 'wasm') jt.setNumThreads(os.availableParallelism());
  for (const t of live.splice(0)) t.dispose();

  const header = ['impl'];
  for (const l of MNIST_CONV_LAYERS) header.push(`${l.name} ms`, 'vs cpu', 'vs wasm');
  const rows = impls.map((impl) => {
    const row = [impl.name];
    for (const l of MNIST_CONV_LAYERS) {
      const ms = results.get(impl.name)!.get(l.name)!;
      const ratio = (ref: string) => `${(results.get(ref)!.get(l.name)! / ms).toFixed(2)}x`;
      row.push(ms.toFixed(2), ratio('tfjs-cpu'), ratio('tfjs-wasm'));
    }
    return row;
  });
  printTable(
    `conv forward, batch 64, VALID: median of ${reps} (ratio = tfjs time / this time, >1 is faster)`,
    header,
    rows,
  );
  return results;
}
