/**
 * The WebGPU benchmark the docs page runs on the reader's GPU: Jute, TF.js and jax-js, all
 * on WebGPU in one tab, on the same work: square float32 matmuls and one SGD training step
 * of the apps' MNIST CNN (conv 32 → pool → conv 64 → pool → dense 128 → dense 10).
 *
 * Each library gets a warm-up run (kernel compilation), then `repeats` timed runs; the median
 * is reported. A run ends when its result is on the host (one element read back), so queued
 * GPU work is counted. Timings on a software adapter (SwiftShader) say nothing about GPUs.
 */
import { buildModel } from '@jute/app-kit/mnist-model';
import { jit as juteJit, valueAndGrad as juteValueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';

export type Library = 'jute' | 'tfjs' | 'jaxjs';
export const LIBRARIES: readonly Library[] = ['jute', 'tfjs', 'jaxjs'];

/** One workload timed on every library: milliseconds (median), or why it could not run. */
export interface BenchRow {
  readonly name: string;
  readonly ms: Partial<Record<Library, number>>;
  readonly errors: Partial<Record<Library, string>>;
}

export interface BenchOptions {
  /** Matmul sizes (n for n×n @ n×n). */
  readonly sizes?: readonly number[];
  /** Images per CNN training step. */
  readonly batch?: number;
  /** Timed runs per workload (after one warm-up). */
  readonly repeats?: number;
  /** Called after each measurement, for a progress display. */
  readonly onRow?: (rows: readonly BenchRow[]) => void;
}

/** A workload prepared for one library: `run` does the work and resolves when it is done. */
type Prepared = { run: () => Promise<void> };
type Setup = Record<Library, () => Promise<Prepared>>;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function time(p: Prepared, repeats: number): Promise<number> {
  await p.run(); // warm-up: pipelines compile, uploads happen
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await p.run();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Deterministic inputs shared by every library. */
function uniformData(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296 - 0.5;
  });
}

// ---------------------------------------------------------------------------- Jute

async function juteMatmul(n: number): Promise<Prepared> {
  jt.setBackend(await juteGpu());
  const a = jt.array(uniformData(n * n, 1), { shape: [n, n] });
  const b = jt.array(uniformData(n * n, 2), { shape: [n, n] });
  return {
    run: async () => {
      const c = jt.matmul(a, b);
      await jt.slice(c, [0, 0], [1, 1]).dataAsync();
    },
  };
}

let gpuBackend: Promise<jt.WebGpuBackend> | undefined;
const juteGpu = () => {
  gpuBackend ??= jt.webgpuBackend();
  return gpuBackend;
};

async function juteCnn(batch: number): Promise<Prepared> {
  jt.setBackend(await juteGpu());
  const model = buildModel('cnn');
  const x = jt.array(uniformData(batch * 28 * 28, 3), { shape: [batch, 28, 28, 1] });
  const y = jt.array(
    Int32Array.from({ length: batch }, (_, i) => i % 10),
    { dtype: 'int32' },
  );
  let { params } = model.init(jt.random.key(0), [batch, 28, 28, 1]) as { params: unknown };
  const opt = optim.sgd({ learningRate: 0.01 });
  let state = opt.init(params as never);
  const loss = (p: unknown) => {
    const { y: logits } = model.apply(p as never, x, { training: false });
    return jt.mean(losses.sparseSoftmaxCrossEntropy(logits, y));
  };
  const step = juteJit((p: unknown, s: unknown) => {
    const [l, g] = juteValueAndGrad(loss)(p);
    const [u, s2] = opt.update(g as never, s as never, p as never);
    return [optim.applyUpdates(p, u), s2, l] as const;
  });
  return {
    run: async () => {
      const [p, s, l] = step(params, state);
      params = p;
      state = s as never;
      await (l as jt.Array).dataAsync();
    },
  };
}

// ---------------------------------------------------------------------------- TF.js

type Tf = typeof import('@tensorflow/tfjs-core');
let tfReady: Promise<Tf> | undefined;
const tfjs = () => {
  tfReady ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    // tfjs-core registers gradients only on request; the webgpu backend registers itself.
    await import('@tensorflow/tfjs-core/dist/register_all_gradients');
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu')))
      throw new Error('TF.js could not start its WebGPU backend');
    await tf.ready();
    return tf;
  })();
  return tfReady;
};

async function tfMatmul(n: number): Promise<Prepared> {
  const tf = await tfjs();
  const a = tf.tensor2d(uniformData(n * n, 1), [n, n]);
  const b = tf.tensor2d(uniformData(n * n, 2), [n, n]);
  return {
    run: async () => {
      const c = tf.matMul(a, b);
      const corner = tf.slice(c, [0, 0], [1, 1]);
      await corner.data();
      tf.dispose([c, corner]);
    },
  };
}

async function tfCnn(batch: number): Promise<Prepared> {
  const tf = await tfjs();
  const x = tf.tensor4d(uniformData(batch * 28 * 28, 3), [batch, 28, 28, 1]);
  const y = tf.oneHot(
    tf.tensor1d(
      Int32Array.from({ length: batch }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  const w = (shape: number[], seed: number) =>
    tf.variable(
      tf.mul(
        tf.tensor(
          uniformData(
            shape.reduce((a, b) => a * b, 1),
            seed,
          ),
          shape,
        ),
        0.1,
      ),
    );
  const k1 = w([3, 3, 1, 32], 11);
  const b1 = tf.variable(tf.zeros([32]));
  const k2 = w([3, 3, 32, 64], 12);
  const b2 = tf.variable(tf.zeros([64]));
  const w3 = w([1600, 128], 13);
  const b3 = tf.variable(tf.zeros([128]));
  const w4 = w([128, 10], 14);
  const b4 = tf.variable(tf.zeros([10]));
  const opt = tf.train.sgd(0.01);
  const loss = () => {
    let h = tf.relu(tf.add(tf.conv2d(x, k1 as never, 1, 'valid'), b1));
    h = tf.maxPool(h as never, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h as never, k2 as never, 1, 'valid'), b2));
    h = tf.maxPool(h as never, 2, 2, 'valid');
    const f = tf.reshape(h, [batch, 1600]);
    const d = tf.relu(tf.add(tf.matMul(f, w3), b3));
    const logits = tf.add(tf.matMul(d, w4), b4);
    return tf.mean(
      tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1)),
    ) as import('@tensorflow/tfjs-core').Scalar;
  };
  return {
    run: async () => {
      const l = opt.minimize(loss, true);
      await l!.data();
      l!.dispose();
    },
  };
}

// ---------------------------------------------------------------------------- jax-js

type Jax = typeof import('@jax-js/jax');
let jaxReady: Promise<Jax> | undefined;
const jaxjs = () => {
  jaxReady ??= (async () => {
    const jax = await import('@jax-js/jax');
    const devices = await jax.init('webgpu');
    if (!devices.includes('webgpu')) throw new Error('jax-js found no WebGPU device');
    jax.defaultDevice('webgpu');
    return jax;
  })();
  return jaxReady;
};

async function jaxMatmul(n: number): Promise<Prepared> {
  const { numpy: np } = await jaxjs();
  const a = np.array(uniformData(n * n, 1)).reshape([n, n]);
  const b = np.array(uniformData(n * n, 2)).reshape([n, n]);
  return {
    run: async () => {
      // jax-js arrays are reference-counted: `.ref` keeps a and b for the next run.
      const c = np.matmul(a.ref, b.ref);
      await c.blockUntilReady();
      c.dispose();
    },
  };
}

async function jaxCnn(batch: number): Promise<Prepared> {
  const jax = await jaxjs();
  const { numpy: np, lax, nn } = jax;
  // jax-js convolutions are NCHW with OIHW kernels: the same network, in its layout.
  const x = np.array(uniformData(batch * 28 * 28, 3)).reshape([batch, 1, 28, 28]);
  const y = nn.oneHot(
    np.array(
      Int32Array.from({ length: batch }, (_, i) => i % 10),
      { dtype: np.int32 },
    ),
    10,
  );
  const w = (shape: number[], seed: number) =>
    np.multiply(
      np
        .array(
          uniformData(
            shape.reduce((a, b) => a * b, 1),
            seed,
          ),
        )
        .reshape(shape),
      0.1,
    );
  let params = {
    k1: w([32, 1, 3, 3], 11),
    b1: np.zeros([1, 32, 1, 1]),
    k2: w([64, 32, 3, 3], 12),
    b2: np.zeros([1, 64, 1, 1]),
    w3: w([1600, 128], 13),
    b3: np.zeros([128]),
    w4: w([128, 10], 14),
    b4: np.zeros([10]),
  };
  type P = typeof params;
  const pool = (h: InstanceType<Jax['Array']>, c: number, s: number) => {
    const e = Math.floor(s / 2) * 2;
    const cropped = e === s ? h : h.slice([], [], [0, e], [0, e]);
    return np.max(cropped.reshape([batch, c, e / 2, 2, e / 2, 2]), [3, 5]);
  };
  const loss = (p: P, xs: typeof x, ys: typeof y) => {
    let h = nn.relu(np.add(lax.conv(xs, p.k1, [1, 1], 'VALID'), p.b1));
    h = pool(h, 32, 26);
    h = nn.relu(np.add(lax.conv(h, p.k2, [1, 1], 'VALID'), p.b2));
    h = pool(h, 64, 11);
    // Flatten in NHWC order, as the other libraries do.
    const f = np.transpose(h, [0, 2, 3, 1]).reshape([batch, 1600]);
    const d = nn.relu(np.add(np.matmul(f, p.w3), p.b3));
    const logits = np.add(np.matmul(d, p.w4), p.b4);
    return np.mean(np.negative(np.sum(np.multiply(ys, nn.logSoftmax(logits, -1)), -1)));
  };
  const step = jax.jit((p: P, xs: typeof x, ys: typeof y) => {
    // jax-js arrays are moved into ops; `tree.ref` keeps p alive for the update.
    const [l, g] = jax.valueAndGrad(loss)(jax.tree.ref(p), xs, ys);
    const next = jax.tree.map(
      (a: typeof x, b: typeof x) => np.subtract(a, np.multiply(b, 0.01)),
      p,
      g,
    ) as P;
    return [next, l] as const;
  });
  return {
    run: async () => {
      const [next, l] = step(params, x.ref, y.ref) as unknown as [P, typeof x];
      params = next;
      await l.blockUntilReady();
      l.dispose();
    },
  };
}

// ---------------------------------------------------------------------------- runner

/** Runs every workload on every library (WebGPU only) and returns the table. */
export async function runWebGpuBench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const sizes = options.sizes ?? [1024, 2048, 4096];
  const batch = options.batch ?? 64;
  const repeats = options.repeats ?? 5;
  const work: [string, Setup][] = [
    ...sizes.map((n): [string, Setup] => [
      `matmul ${n}×${n}`,
      { jute: () => juteMatmul(n), tfjs: () => tfMatmul(n), jaxjs: () => jaxMatmul(n) },
    ]),
    [
      `CNN training step (batch ${batch})`,
      { jute: () => juteCnn(batch), tfjs: () => tfCnn(batch), jaxjs: () => jaxCnn(batch) },
    ],
  ];
  const rows: BenchRow[] = [];
  for (const [name, setup] of work) {
    const row: BenchRow = { name, ms: {}, errors: {} };
    rows.push(row);
    for (const lib of LIBRARIES) {
      try {
        row.ms[lib] = await time(await setup[lib](), repeats);
      } catch (e) {
        row.errors[lib] = e instanceof Error ? e.message : String(e);
      }
      options.onRow?.(rows);
    }
  }
  return rows;
}

/** Time of `lib` relative to Jute (above 1: Jute is faster). */
export const ratio = (row: BenchRow, lib: Library): number | undefined => {
  const j = row.ms.jute;
  const o = row.ms[lib];
  return j === undefined || o === undefined ? undefined : o / j;
};
