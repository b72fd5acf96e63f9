import { jit, valueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { useTfBackend } from './report';
import { runTrainStepBench, type Step, tfClippedAdamStep } from './train-step';

/**
 * One training step of a character-level GPT (vocabulary 64, 2 pre-norm blocks of width 64
 * with 4 heads, RMSNorm, RoPE, GELU MLP of 256, tied embedding; batch 32 × 64 positions;
 * softmax cross-entropy; Adam 2e-3 after global-norm clipping at 1), in tokens per second:
 * Jute's `nn.transformerBlock` (eager, and the same step under `jit`) and
 * the same model written with TF.js ops.
 */
const [B, T, V, D, H, L, F] = [32, 64, 64, 64, 4, 2, 256];
const HD = D / H;

const tokens = (seed: number) =>
  jt.random.randint(jt.random.key(seed), [B, T + 1], 0, V).data() as Int32Array;

function juteStep(compiled: boolean): Step {
  const embed = nn.embedding({ vocabSize: V, features: D, embeddingInit: nn.normal(0.02) });
  const block = nn.transformerBlock({ numHeads: H, rope: true, kernelInit: nn.normal(0.02) });
  const norm = nn.rmsNorm();
  const keys = jt.random.split(jt.random.key(0), L + 2);
  type P = {
    embed: nn.EmbeddingParams;
    blocks: nn.TransformerBlockParams[];
    norm: nn.RmsNormParams;
  };
  const p0: P = {
    embed: embed.init(keys[0]!, [B, T]).params,
    blocks: Array.from({ length: L }, (_, i) => block.init(keys[i + 2]!, [B, T, D]).params),
    norm: norm.init(keys[1]!, [B, T, D]).params,
  };
  let params = p0;
  const seq = jt.array(tokens(1), { shape: [B, T + 1], dtype: 'int32' });
  const x = jt.slice(seq, [0, 0], [B, T]);
  const y = jt.slice(seq, [0, 1], [B, T + 1]);
  const loss = (p: P) => {
    let h = embed.apply(p.embed, x).y;
    for (const b of p.blocks) h = block.apply(b, h).y;
    const logits = nn.tiedLogits(p.embed, norm.apply(p.norm, h).y);
    return jt.mean(losses.sparseSoftmaxCrossEntropy(logits, y));
  };
  const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam({ learningRate: 2e-3 }));
  let optState = opt.init(params);
  const lossAndGrad = valueAndGrad(loss);
  const update = (p: P, o: typeof optState) => {
    const [value, grads] = lossAndGrad(p);
    const [updates, next] = opt.update(grads, o, p);
    return [optim.applyUpdates(p, updates), next, value] as const;
  };
  // Parameters and optimizer state are donated: the update may be written in place.
  const run = compiled ? jit(update, { donateArgnums: [0, 1] }) : update;
  return () => {
    const [nextParams, next, value] = run(params, optState);
    params = nextParams;
    optState = next;
    return Number(value.item());
  };
}

async function tfStep(backend: 'cpu' | 'wasm'): Promise<Step> {
  await useTfBackend(backend);
  let seed = 1;
  const normal = (shape: number[], std = 0.02) =>
    tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed++));
  const blocks = Array.from({ length: L }, () => ({
    n1: tf.variable(tf.ones([D])),
    qkv: normal([D, 3 * D]),
    qkvB: tf.variable(tf.zeros([3 * D])),
    out: normal([D, D]),
    outB: tf.variable(tf.zeros([D])),
    n2: tf.variable(tf.ones([D])),
    up: normal([D, F]),
    upB: tf.variable(tf.zeros([F])),
    down: normal([F, D]),
    downB: tf.variable(tf.zeros([D])),
  }));
  const embed = normal([V, D]);
  const normF = tf.variable(tf.ones([D]));
  const seq = tf.tensor2d(tokens(1), [B, T + 1], 'int32');
  // One-hot · table instead of gather: TF.js's WASM backend has no gradient for gather.
  const xOneHot = tf.cast(
    tf.oneHot(tf.reshape(tf.slice(seq, [0, 0], [B, T]), [B * T]), V),
    'float32',
  );
  const yOneHot = tf.oneHot(tf.reshape(tf.slice(seq, [0, 1], [B, T]), [B * T]), V);
  // RoPE angles [T, HD/2], and the causal mask as an additive bias [T, T].
  const inv = Array.from({ length: HD / 2 }, (_, i) => 10_000 ** ((-2 * i) / HD));
  const angles = tf.tensor2d(
    Array.from({ length: T }, (_, t) => inv.map((f) => t * f)),
    [T, HD / 2],
  );
  const [cos, sin] = [tf.cos(angles), tf.sin(angles)];
  const maskBias = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9);
  const rms = (x: tf.Tensor, s: tf.Tensor) =>
    tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-6))), s);
  const rope = (x: tf.Tensor) => {
    const [a, b] = tf.split(x, 2, -1) as [tf.Tensor, tf.Tensor];
    return tf.concat(
      [tf.sub(tf.mul(a, cos), tf.mul(b, sin)), tf.add(tf.mul(a, sin), tf.mul(b, cos))],
      -1,
    );
  };
  const gelu = (x: tf.Tensor) =>
    tf.mul(
      tf.mul(x, 0.5),
      tf.add(tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI))), 1),
    );
  const dense = (x: tf.Tensor, w: tf.Variable, b: tf.Variable) =>
    tf.add(tf.matMul(tf.reshape(x, [-1, w.shape[0]!]) as tf.Tensor2D, w as tf.Tensor2D), b);
  const loss = () => {
    let h: tf.Tensor = tf.reshape(tf.matMul(xOneHot, embed as tf.Tensor2D), [B, T, D]);
    for (const p of blocks) {
      const qkv = tf.transpose(
        tf.reshape(dense(rms(h, p.n1), p.qkv, p.qkvB), [B, T, 3 * H, HD]),
        [0, 2, 1, 3],
      );
      const [q, k, v] = tf.split(qkv, 3, 1) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const logits = tf.add(
        tf.matMul(
          tf.mul(rope(q), 1 / Math.sqrt(HD)) as tf.Tensor4D,
          rope(k) as tf.Tensor4D,
          false,
          true,
        ),
        maskBias,
      );
      const att = tf.reshape(tf.transpose(tf.matMul(tf.softmax(logits), v), [0, 2, 1, 3]), [
        B,
        T,
        D,
      ]);
      h = tf.add(h, tf.reshape(dense(att, p.out, p.outB), [B, T, D]));
      const m = dense(gelu(dense(rms(h, p.n2), p.up, p.upB)), p.down, p.downB);
      h = tf.add(h, tf.reshape(m, [B, T, D]));
    }
    const logits = tf.matMul(
      tf.reshape(rms(h, normF), [B * T, D]) as tf.Tensor2D,
      embed as tf.Tensor2D,
      false,
      true,
    );
    return tf.losses.softmaxCrossEntropy(yOneHot, logits) as tf.Scalar;
  };
  return tfClippedAdamStep(loss, 2e-3);
}

/** Runs Jute (eager and jitted), TF.js cpu and TF.js wasm one after another and prints tokens/s with ratios. */
export async function runTransformerBench(options: { steps?: number; budgetS?: number } = {}) {
  await runTrainStepBench(
    {
      title: `Char-GPT training step: batch ${B}×${T}, vocab ${V}, ${L} blocks of width ${D}, ${H} heads, MLP ${F}, RoPE, tied embedding, Adam + clipping (median; ratio = this rate / the other's)`,
      unit: 'tokens/s',
      itemsPerStep: B * T,
      jute: juteStep,
      tf: tfStep,
      tfVsJuteEager: true,
    },
    options,
  );
}
