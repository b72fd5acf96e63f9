import { jit, makeJaxpr, valueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { useTfBackend } from './report';
import { runTrainStepBench, type Step, tfClippedAdamStep } from './train-step';

/**
 * One training step of a character-level LSTM language model (embedding 64 → LSTM 128 →
 * dense over a 64-character vocabulary, batch 32, 64 time steps, softmax cross-entropy,
 * Adam 2e-3 after global-norm clipping at 1), in characters per second, for Jute (scan
 * over time, reverse mode by linearize + transpose) and for the same model written with
 * TF.js ops (`tf.basicLSTMCell` unrolled over time, `tf.train.adam`).
 */
const [B, T, V, E, H] = [32, 64, 64, 64, 128];

function tokens(seed: number): Int32Array {
  const bits = jt.random.randint(jt.random.key(seed), [B, T + 1], 0, V).data() as Int32Array;
  return bits;
}

function juteStep(compiled: boolean): Step {
  const model = nn.sequential(
    nn.named('embed', nn.embedding({ vocabSize: V, features: E })),
    nn.named('lstm', nn.lstm({ features: H, returnSequences: true })),
    nn.named('out', nn.dense({ features: V })),
  );
  const { params: p0, state } = model.init(jt.random.key(0), [B, T]);
  const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam({ learningRate: 2e-3 }));
  let params = p0;
  let optState = opt.init(params);
  const seq = jt.array(tokens(1), { shape: [B, T + 1], dtype: 'int32' });
  const x = jt.slice(seq, [0, 0], [B, T]);
  const y = jt.slice(seq, [0, 1], [B, T + 1]);
  const loss = (p: typeof p0) => {
    const { y: logits } = model.apply(p, x, { state });
    return jt.mean(losses.sparseSoftmaxCrossEntropy(logits, y));
  };
  const lossAndGrad = valueAndGrad(loss);
  const update = (p: typeof p0, o: typeof optState) => {
    const [value, grads] = lossAndGrad(p);
    const [updates, next] = opt.update(grads, o, p);
    return [optim.applyUpdates(p, updates), next, value] as const;
  };
  // Parameters and optimizer state are donated: the update is written in place.
  const run = compiled ? jit(update, { donateArgnums: [0, 1] }) : update;
  return () => {
    const [nextParams, next, value] = run(params, optState);
    params = nextParams;
    optState = next;
    return Number(value.item());
  };
}

/**
 * Seconds to trace (and compile) the jitted step of an LSTM over `length` steps: with
 * scan kept as a loop, this does not grow with the length.
 */
export function lstmTraceSeconds(length: number): number {
  const model = nn.sequential(
    nn.named('embed', nn.embedding({ vocabSize: V, features: E })),
    nn.named('lstm', nn.lstm({ features: H, returnSequences: true })),
    nn.named('out', nn.dense({ features: V })),
  );
  const { params, state } = model.init(jt.random.key(0), [B, length]);
  const ids = jt.random.randint(jt.random.key(1), [B, length + 1], 0, V);
  const x = jt.slice(ids, [0, 0], [B, length]);
  const y = jt.slice(ids, [0, 1], [B, length + 1]);
  const loss = (p: typeof params) =>
    jt.mean(losses.sparseSoftmaxCrossEntropy(model.apply(p, x, { state }).y, y));
  const t0 = performance.now();
  makeJaxpr(valueAndGrad(loss))(params);
  return (performance.now() - t0) / 1000;
}

async function tfStep(backend: 'cpu' | 'wasm'): Promise<Step> {
  await useTfBackend(backend);
  const glorot = (shape: number[], seed: number) =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / (shape[0]! + shape[1]!)), 'float32', seed));
  const v = {
    embed: tf.variable(tf.randomNormal([V, E], 0, 1, 'float32', 1)),
    kernel: glorot([E + H, 4 * H], 2),
    bias: tf.variable(tf.zeros([4 * H])),
    out: glorot([H, V], 3),
    outB: tf.variable(tf.zeros([V])),
  };
  const seq = tf.tensor2d(tokens(1), [B, T + 1], 'int32');
  // One-hot · matrix instead of gather: TF.js's WASM backend has no gradient for gather
  // (UnsortedSegmentSum); the two are the same function.
  const xOneHot = tf.cast(
    tf.oneHot(tf.reshape(tf.slice(seq, [0, 0], [B, T]), [B * T]), V),
    'float32',
  );
  const y = tf.oneHot(tf.reshape(tf.slice(seq, [0, 1], [B, T]), [B * T]), V);
  const loss = () => {
    const emb = tf.reshape(tf.matMul(xOneHot, v.embed as tf.Tensor2D), [B, T, E]);
    let c: tf.Tensor2D = tf.zeros([B, H]);
    let h: tf.Tensor2D = tf.zeros([B, H]);
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const xt = tf.reshape(tf.slice(emb, [0, t, 0], [B, 1, E]), [B, E]) as tf.Tensor2D;
      [c, h] = tf.basicLSTMCell(1, v.kernel as tf.Tensor2D, v.bias as tf.Tensor1D, xt, c, h);
      hs.push(h);
    }
    const hAll = tf.reshape(tf.stack(hs, 1), [B * T, H]) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(hAll, v.out as tf.Tensor2D), v.outB);
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };
  return tfClippedAdamStep(loss, 2e-3);
}

/** Runs Jute, TF.js cpu and TF.js wasm one after another and prints chars/s with ratios. */
export async function runLstmBench(options: { steps?: number; budgetS?: number } = {}) {
  await runTrainStepBench(
    {
      title: `Char-LSTM training step: batch ${B}, ${T} steps, vocab ${V}, hidden ${H}, Adam + clipping (median; ratio = this rate / tfjs rate)`,
      unit: 'chars/s',
      itemsPerStep: B * T,
      jute: juteStep,
      tf: tfStep,
      tfVsJuteEager: false,
    },
    options,
  );
  const [short, long] = [lstmTraceSeconds(64), lstmTraceSeconds(1000)];
  console.log(
    `tracing the LSTM training step: ${short.toFixed(2)} s over 64 steps, ${long.toFixed(2)} s over 1000 steps (${(long / short).toFixed(1)}x)`,
  );
}
