import { jit, valueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { machineLine, median, printTable, useTfBackend } from './report';

/**
 * A small-op workload: one training step of an MLP 784-256-256-10 at batch 32 (Adam),
 * where dispatch, not arithmetic, is most of the cost. Jute eager and jitted, and the
 * same network in TF.js ops; then the cost of calling a jitted function itself.
 */
const [B, D, W, K] = [32, 784, 256, 10];

type Step = () => number;

function juteStep(compiled: boolean): Step {
  const model = nn.sequential(
    nn.dense({ features: W }),
    nn.relu,
    nn.dense({ features: W }),
    nn.relu,
    nn.dense({ features: K }),
  );
  const { params: p0 } = model.init(jt.random.key(0), [B, D]);
  const opt = optim.adam({ learningRate: 1e-3 });
  let params = p0;
  let optState = opt.init(params);
  const x = jt.random.normal(jt.random.key(1), [B, D]);
  const y = jt.random.randint(jt.random.key(2), [B], 0, K);
  const lossAndGrad = valueAndGrad((p: typeof p0) =>
    jt.mean(losses.sparseSoftmaxCrossEntropy(model.apply(p, x).y, y)),
  );
  const update = (p: typeof p0, o: typeof optState) => {
    const [value, grads] = lossAndGrad(p);
    const [updates, next] = opt.update(grads, o, p);
    return [optim.applyUpdates(p, updates), next, value] as const;
  };
  // Parameters and optimizer state are donated: the update is written in place.
  const run = compiled ? jit(update, { donateArgnums: [0, 1] }) : update;
  return () => {
    const [p, o, value] = run(params, optState);
    params = p;
    optState = o;
    return Number(value.item());
  };
}

async function tfStep(): Promise<Step> {
  await useTfBackend('wasm');
  const w = (i: number, o: number, seed: number) =>
    tf.variable(tf.randomNormal([i, o], 0, Math.sqrt(2 / i), 'float32', seed));
  const v = [
    w(D, W, 1),
    tf.variable(tf.zeros([W])),
    w(W, W, 2),
    tf.variable(tf.zeros([W])),
    w(W, K, 3),
    tf.variable(tf.zeros([K])),
  ];
  const x = tf.randomNormal([B, D], 0, 1, 'float32', 4);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: B }, (_, i) => i % K),
      'int32',
    ),
    K,
  );
  const opt = tf.train.adam(1e-3);
  const loss = () => {
    const h1 = tf.relu(tf.add(tf.matMul(x, v[0]! as tf.Tensor2D), v[1]!));
    const h2 = tf.relu(tf.add(tf.matMul(h1, v[2]! as tf.Tensor2D), v[3]!));
    return tf.losses.softmaxCrossEntropy(
      y,
      tf.add(tf.matMul(h2, v[4]! as tf.Tensor2D), v[5]!),
    ) as tf.Scalar;
  };
  return () => {
    const cost = opt.minimize(loss, true)!;
    const value = cost.dataSync()[0]!;
    cost.dispose();
    return value;
  };
}

function timeSteps(step: Step, steps: number): number[] {
  for (let i = 0; i < 3; i++) step();
  return Array.from({ length: steps }, () => {
    const t0 = performance.now();
    step();
    return performance.now() - t0;
  });
}

/**
 * What calling a jitted function costs beyond its kernels: a one-op program on a tiny
 * array, minus that op run straight on the backend.
 */
function dispatchMicroseconds(): { call: number; kernel: number } {
  const x = jt.ones([4]);
  const f = jit((a: jt.Array) => jt.add(a, a));
  f(x);
  const kernel = jt.getBackend().kernels.add;
  const reps = 20000;
  const measure = (fn: () => unknown) => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    return ((performance.now() - t0) * 1000) / reps;
  };
  const avals = [{ shape: x.shape, dtype: x.dtype }];
  const concrete = x as never;
  const call = Math.min(
    measure(() => f(x)),
    measure(() => f(x)),
  );
  const k = Math.min(
    measure(() => kernel([concrete, concrete], {} as never, avals)),
    measure(() => kernel([concrete, concrete], {} as never, avals)),
  );
  return { call, kernel: k };
}

export async function runMlpBench(options: { steps?: number } = {}) {
  const steps = options.steps ?? 30;
  console.log(machineLine());
  const rows = [
    { impl: `jute (${jt.getBackend().name})`, ms: timeSteps(juteStep(false), steps) },
    { impl: `jute-jit (${jt.getBackend().name})`, ms: timeSteps(juteStep(true), steps) },
    { impl: 'tfjs-wasm', ms: timeSteps(await tfStep(), steps) },
  ];
  const rate = (ms: number[]) => (B * 1000) / median(ms);
  printTable(
    `MLP ${D}-${W}-${W}-${K} training step, batch ${B}, Adam (median of ${steps})`,
    ['impl', 'ms/step', 'examples/s', 'vs jute eager', 'vs tfjs-wasm'],
    rows.map((r) => [
      r.impl,
      median(r.ms).toFixed(2),
      rate(r.ms).toFixed(0),
      `${(rate(r.ms) / rate(rows[0]!.ms)).toFixed(2)}x`,
      `${(rate(r.ms) / rate(rows[2]!.ms)).toFixed(2)}x`,
    ]),
  );
  const d = dispatchMicroseconds();
  console.log(
    `a jitted call: ${d.call.toFixed(1)} µs for a one-op program whose kernel takes ${d.kernel.toFixed(1)} µs: ${(d.call - d.kernel).toFixed(1)} µs beyond its kernels`,
  );
}
