import { execFile } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildModel } from '@jute/app-kit/mnist-model';
import { jit, valueAndGrad } from '@jute/autodiff';
import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as losses from '@jute/losses';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the @tensorflow/tfjs bundle does this import);
// the registry is global, so the ESM build's configs serve the CommonJS entry too.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { machinePeaks, peakLine } from './peak';
import { machineLine, median, printTable, useTfBackend } from './report';

/**
 * One training step of the MNIST app's CNN (conv32-relu-pool-conv64-relu-pool-dense128-
 * relu-dropout-dense10, batch 64, softmax cross-entropy, Adam 1e-3), in examples per
 * second, for Jute and for the same model written with TF.js ops on its CPU and WASM
 * backends.
 *
 * Each implementation runs in its own child process, so that its peak RSS is its own:
 * WebAssembly memory never shrinks and V8 returns heap lazily, so a shared process would
 * charge every later row for the earlier ones. RSS is sampled with
 * `process.memoryUsage().rss` before and after every step; the kernel's high-water mark
 * (`resourceUsage().maxRSS`) is reported beside it. Every step reads its loss back to JS,
 * as a training loop that logs it does.
 */

const BATCH = 64;
/**
 * FLOP of one step: the forward products (conv1 64·26²·32·9, conv2 64·11²·64·288,
 * dense 64·1600·128 and 64·128·10 multiply-adds, ×2) and two backward products each.
 */
const STEP_GFLOP =
  (3 * 2 * (64 * 676 * 32 * 9 + 64 * 121 * 64 * 288 + 64 * 1600 * 128 + 64 * 1280)) / 1e9;
/** Fewest timed steps, even when they overrun the time budget. */
const MIN_STEPS = 3;
const IMPLS = ['jute', 'jute-jit', 'jute-x1', 'tfjs-cpu', 'tfjs-wasm'] as const;
type ImplName = (typeof IMPLS)[number];

interface WorkerResult {
  readonly impl: string;
  readonly stepMs: readonly number[];
  readonly firstLoss: number;
  readonly lastLoss: number;
  readonly peakRssMb: number;
  readonly maxRssMb: number;
  readonly note?: string;
}

/** The first `batches` × 64 training digits, as Float32/Int32 arrays shared by every impl. */
async function mnistBatches(batches: number) {
  const loaded = await datasets.loadMnist({ seed: 0 })();
  // An fp-ts Either; bench does not depend on fp-ts for one tag check.
  if (loaded._tag === 'Left') throw new Error(data.formatDataError(loaded.left));
  const { images, labels } = loaded.right.train;
  return Array.from({ length: batches }, (_, b) => ({
    x: jt.slice(images, [b * BATCH], [(b + 1) * BATCH]).data() as Float32Array,
    y: jt.slice(labels, [b * BATCH], [(b + 1) * BATCH]).data() as Int32Array,
  }));
}

type Step = (batch: number) => number;

/** The app's model (from @jute/app-kit/mnist-model) and training step (apps/mnist-cnn/src/train.ts). */
async function juteStep(
  batches: Awaited<ReturnType<typeof mnistBatches>>,
  compiled: boolean,
): Promise<Step> {
  const model = buildModel('cnn');
  const [initKey, dropKey] = jt.random.split(jt.random.key(0), 2);
  const init = model.init(initKey!, [BATCH, 28, 28, 1]);
  const opt = optim.adam({ learningRate: 1e-3 });
  let params: jt.PyTree = init.params;
  let state: jt.PyTree = init.state;
  let optState = opt.init(params);
  const lossFn = (p: jt.PyTree, s: jt.PyTree, x: jt.Array, y: jt.Array, key: jt.Array) => {
    const out = model.apply(p, x, {
      state: s,
      key,
      training: true,
    });
    return [jt.mean(losses.sparseSoftmaxCrossEntropy(out.y, y)), out.state] as const;
  };
  const lossAndGrad = valueAndGrad(lossFn, { hasAux: true });
  // The whole update as one pure function: eager, or traced once and replayed by `jit`.
  const update = (
    p: jt.PyTree,
    s: jt.PyTree,
    o: jt.PyTree,
    x: jt.Array,
    y: jt.Array,
    key: jt.Array,
  ) => {
    const [[loss, nextState], grads] = lossAndGrad(p, s, x, y, key);
    const [updates, nextOpt] = opt.update(grads, o, p);
    return [optim.applyUpdates(p, updates), nextState, nextOpt, loss] as const;
  };
  // Parameters and optimizer state are donated: the update is written in place.
  const run = compiled ? jit(update, { donateArgnums: [0, 2] }) : update;
  const xs = batches.map((b) => jt.array(b.x, { shape: [BATCH, 28, 28, 1] }));
  const ys = batches.map((b) => jt.array(b.y, { shape: [BATCH], dtype: 'int32' }));
  let i = 0;
  return (b) => {
    const key = jt.random.foldIn(dropKey!, i++);
    const [nextParams, nextState, nextOpt, loss] = run(
      params,
      state,
      optState,
      xs[b]!,
      ys[b]!,
      key,
    );
    params = nextParams;
    state = nextState;
    optState = nextOpt;
    return Number(loss.item());
  };
}

/**
 * `Conv2DBackpropFilter` for TF.js's WASM backend, which has none (so `conv2d` cannot be
 * trained there): for each kernel offset (i, j) the filter gradient is
 * `patch(i, j)ᵀ · dy`, a `[cin, cout]` matmul of the input window shifted by (i, j)
 * against the output gradient, built from ops the backend has (pad, slice, matMul, stack).
 * Inputs and the result are copied through JS: wrapping the caller's buffers in tensors
 * would let our disposal release them.
 */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): NHWC only');
      const xShape = x.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(
        xShape,
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
      );
      const [kh, kw, cin, cout] = a.filterShape;
      const { top, bottom, left, right } = info.padInfo;
      const [sh, sw] = [info.strideHeight, info.strideWidth];
      const [n, ho, wo] = [info.batchSize, info.outHeight, info.outWidth];
      const values = tf.tidy(() => {
        let xt: tf.Tensor4D = tf.tensor4d(wasm.readSync(x.dataId) as Float32Array, xShape);
        if (top || bottom || left || right) {
          xt = tf.pad(xt, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ]);
        }
        const g = tf.reshape(tf.tensor(wasm.readSync(dy.dataId) as Float32Array, dy.shape), [
          n * ho * wo,
          cout,
        ]);
        const taps: tf.Tensor[] = [];
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const patch =
              sh === 1 && sw === 1
                ? tf.slice(xt, [0, i, j, 0], [n, ho, wo, cin])
                : tf.stridedSlice(
                    xt,
                    [0, i, j, 0],
                    [n, i + (ho - 1) * sh + 1, j + (wo - 1) * sw + 1, cin],
                    [1, sh, sw, 1],
                  );
            taps.push(tf.matMul(tf.reshape(patch, [n * ho * wo, cin]), g, true, false));
          }
        }
        // [kh·kw, cin, cout] in row-major order is the HWIO filter layout.
        return tf.stack(taps).dataSync() as Float32Array;
      });
      return wasm.makeOutput([kh, kw, cin, cout], 'float32', undefined, values);
    },
  });
}

/** The patched kernel against TF.js's CPU one on conv2's shapes: max |difference|. */
async function checkWasmFilterGrad(): Promise<number> {
  const uniform = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => (Math.random() * 2 - 1) * scale);
  const x = uniform(8 * 13 * 13 * 32, 1);
  const k = uniform(3 * 3 * 32 * 64, 0.1);
  const gradOn = async (backend: 'cpu' | 'wasm') => {
    await useTfBackend(backend);
    return tf.tidy(() => {
      const kv = tf.tensor4d(k, [3, 3, 32, 64]);
      const f = (kk: tf.Tensor) =>
        tf.sum(
          tf.square(tf.conv2d(tf.tensor4d(x, [8, 13, 13, 32]), kk as tf.Tensor4D, 1, 'valid')),
        );
      return tf.grad(f)(kv).dataSync();
    });
  };
  const cpu = await gradOn('cpu');
  const wasm = await gradOn('wasm');
  let d = 0;
  let m = 0;
  for (let i = 0; i < cpu.length; i++) {
    d = Math.max(d, Math.abs(cpu[i]! - wasm[i]!));
    m = Math.max(m, Math.abs(cpu[i]!));
  }
  return d / m;
}

/** The same network written with TF.js ops, Adam from `tf.train`, on the given backend. */
async function tfStep(
  backend: 'cpu' | 'wasm',
  batches: Awaited<ReturnType<typeof mnistBatches>>,
): Promise<Step> {
  await useTfBackend(backend);
  // He-normal kernels, zero biases; the initialiser does not change the timing.
  const w = (shape: number[], fanIn: number, seed: number) =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
  const b = (n: number) => tf.variable(tf.zeros([n]));
  const v = {
    c1k: w([3, 3, 1, 32], 9, 1),
    c1b: b(32),
    c2k: w([3, 3, 32, 64], 288, 2),
    c2b: b(64),
    d1k: w([1600, 128], 1600, 3),
    d1b: b(128),
    d2k: w([128, 10], 128, 4),
    d2b: b(10),
  };
  const opt = tf.train.adam(1e-3);
  const xs = batches.map((bt) => tf.tensor4d(bt.x, [BATCH, 28, 28, 1]));
  const ys = batches.map((bt) => tf.oneHot(tf.tensor1d(bt.y, 'int32'), 10));
  let seed = 0;
  const loss = (x: tf.Tensor4D, y: tf.Tensor) => {
    let h = tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(x, v.c1k as tf.Tensor4D, 1, 'valid'), v.c1b));
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(h, v.c2k as tf.Tensor4D, 1, 'valid'), v.c2b));
    h = tf.maxPool(h, 2, 2, 'valid');
    let d = tf.reshape<tf.Rank.R2>(h, [BATCH, 1600]);
    d = tf.relu(tf.add<tf.Tensor2D>(tf.matMul(d, v.d1k as tf.Tensor2D), v.d1b));
    d = tf.dropout(d, 0.5, undefined, seed++) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(d, v.d2k as tf.Tensor2D), v.d2b);
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };
  return (bi) => {
    const cost = opt.minimize(() => loss(xs[bi]!, ys[bi]!), true)!;
    const value = cost.dataSync()[0]!;
    cost.dispose();
    return value;
  };
}

/** Runs in the child process: warm up, time the steps, print one JSON line. */
async function worker(
  impl: ImplName,
  warmup: number,
  steps: number,
  budgetS: number,
): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const batches = await mnistBatches(4);
  sample();
  let note: string | undefined;
  let step: Step;
  if (impl === 'jute' || impl === 'jute-jit' || impl === 'jute-x1') {
    if (jt.getBackend().name === 'wasm') {
      jt.setNumThreads(impl === 'jute-x1' ? 1 : os.availableParallelism());
      await jt.whenThreadsReady();
    }
    note = `backend ${jt.getBackend().name}${impl === 'jute-jit' ? ', jit' : ''}`;
    step = await juteStep(batches, impl === 'jute-jit');
  } else if (impl === 'tfjs-wasm') {
    registerWasmConv2DBackpropFilter();
    note = `patched Conv2DBackpropFilter, rel. error vs cpu ${(await checkWasmFilterGrad()).toExponential(1)}`;
    step = await tfStep('wasm', batches);
  } else {
    step = await tfStep('cpu', batches);
  }
  sample();
  const losses: number[] = [];
  let done = 0;
  // A step that takes seconds (TF.js's CPU convolutions) has no JIT left to warm up.
  for (let t0 = performance.now(); done < warmup; ) {
    losses.push(step(done++ % batches.length));
    sample();
    if (performance.now() - t0 > 5000) break;
  }
  const stepMs: number[] = [];
  const start = performance.now();
  while (
    stepMs.length < steps &&
    (stepMs.length < MIN_STEPS || performance.now() - start < budgetS * 1000)
  ) {
    const t0 = performance.now();
    losses.push(step(done++ % batches.length));
    stepMs.push(performance.now() - t0);
    sample();
  }
  const result: WorkerResult = {
    impl,
    stepMs,
    firstLoss: losses[0]!,
    lastLoss: losses.at(-1)!,
    peakRssMb: peak / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(note === undefined ? {} : { note }),
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

const thisFile = fileURLToPath(import.meta.url);

function runWorker(
  impl: ImplName,
  warmup: number,
  steps: number,
  budgetS: number,
): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        ...process.execArgv,
        thisFile,
        '--cnn-worker',
        impl,
        ...[warmup, steps, budgetS].map(String),
      ],
      { maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
        if (err || line === undefined) {
          reject(new Error(`cnn bench ${impl} failed:\n${stderr || err?.message}`));
          return;
        }
        resolve(JSON.parse(line.slice('RESULT '.length)) as WorkerResult);
      },
    );
  });
}

export interface CnnBenchOptions {
  /** Untimed steps first (JIT tier-up, buffer pools, WASM compilation). */
  readonly warmup?: number;
  /** Timed steps; the median is reported (at least 10). */
  readonly steps?: number;
  /**
   * Seconds after which an implementation stops timing early (after at least 3 steps):
   * TF.js's CPU backend takes tens of seconds per step on a small machine.
   */
  readonly budgetS?: number;
  readonly impls?: readonly ImplName[];
}

/** Runs each implementation in a child process, prints the table, returns the results. */
export async function runCnnBench(options: CnnBenchOptions = {}): Promise<WorkerResult[]> {
  const warmup = options.warmup ?? 3;
  const steps = Math.max(10, options.steps ?? 10);
  const budgetS = options.budgetS ?? 60;
  let impls = options.impls ?? IMPLS;
  // One thread is the same as all threads on a one-core machine.
  if (os.availableParallelism() === 1) impls = impls.filter((i) => i !== 'jute-x1');
  console.log(machineLine());
  const peaks = machinePeaks();
  console.log(peakLine(peaks));
  const results: WorkerResult[] = [];
  // One after another: they would compete for cores.
  for (const impl of impls) results.push(await runWorker(impl, warmup, steps, budgetS));

  const rate = (r: WorkerResult) => (BATCH * 1000) / median(r.stepMs);
  const ref = (name: string) => results.find((r) => r.impl === name);
  const ratio = (r: WorkerResult, name: string) => {
    const o = ref(name);
    return o === undefined ? '-' : `${(rate(r) / rate(o)).toFixed(2)}x`;
  };
  printTable(
    `MNIST CNN training step, batch ${BATCH}, Adam: median of up to ${steps} timed steps (ratio = this rate / tfjs rate)`,
    [
      'impl',
      'steps',
      'ms/step',
      'examples/s',
      'vs cpu',
      'vs wasm',
      'vs jute eager',
      'SIMD share',
      'peak RSS MB',
      'maxRSS MB',
      'loss first→last',
      'note',
    ],
    results.map((r) => [
      r.impl,
      String(r.stepMs.length),
      median(r.stepMs).toFixed(1),
      rate(r).toFixed(0),
      ratio(r, 'tfjs-cpu'),
      ratio(r, 'tfjs-wasm'),
      r.impl.startsWith('jute') ? ratio(r, 'jute') : '-',
      r.impl.startsWith('jute')
        ? `${((100 * (STEP_GFLOP * 1000)) / median(r.stepMs) / peaks.wasmSimdGflops).toFixed(0)}%`
        : '-',
      r.peakRssMb.toFixed(0),
      r.maxRssMb.toFixed(0),
      `${r.firstLoss.toFixed(3)}→${r.lastLoss.toFixed(3)}`,
      r.note ?? '',
    ]),
  );
  return results;
}

const at = process.argv.indexOf('--cnn-worker');
if (at >= 0 && process.argv[1] === thisFile) {
  const impl = process.argv[at + 1] as ImplName;
  if (!IMPLS.includes(impl)) throw new Error(`unknown cnn implementation ${impl}`);
  const [warmup, steps, budgetS] = process.argv.slice(at + 2, at + 5).map(Number);
  await worker(impl, warmup!, steps!, budgetS!);
}
