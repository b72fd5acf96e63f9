import { progressBar, type TextEpochStats } from '@jute/app-kit';
import { valueAndGrad } from '@jute/autodiff';
import * as data from '@jute/data';
import * as losses from '@jute/losses';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import { compile } from './compile';
import type { CharGpt, GptParams } from './model';

/** Everything training needs to continue where it stopped. */
export interface TrainState {
  readonly params: GptParams;
  readonly optState: jt.PyTree;
}

/** A batch of next-character windows, int32 `[batch, time]` each. */
export interface Batch {
  readonly inputs: jt.Array;
  readonly targets: jt.Array;
}

/** Options of {@link makeOptimizer}. */
export interface OptimizerOptions {
  /** Peak learning rate, reached after the warm-up. */
  readonly lr: number;
  readonly warmupSteps: number;
  /** Optimizer steps in the whole run (the cosine ends there, at `lr / 10`). */
  readonly totalSteps: number;
  readonly weightDecay: number;
  readonly clipNorm: number;
  /** Gradients averaged per optimizer step (`--accumulate`). */
  readonly accumulate: number;
}

/**
 * AdamW on a warm-up + cosine schedule after global-norm clipping; matrices decay, vectors
 * (norm scales, biases) do not. With `accumulate > 1`, `optim.multiSteps` averages that many
 * micro-batch gradients per update, so the schedule counts real updates.
 * @example const opt = makeOptimizer({ lr: 3e-3, warmupSteps: 50, totalSteps: 600, weightDecay: 0.1, clipNorm: 1, accumulate: 1 });
 */
export function makeOptimizer(o: OptimizerOptions): optim.GradientTransformation<jt.PyTree> {
  const warmup = Math.min(o.warmupSteps, Math.max(0, o.totalSteps - 1));
  const schedule = optim.warmupCosineDecaySchedule({
    initValue: 0,
    peakValue: o.lr,
    warmupSteps: warmup,
    decaySteps: Math.max(o.totalSteps, warmup + 1),
    endValue: o.lr / 10,
  });
  const inner = optim.chain(
    optim.clipByGlobalNorm(o.clipNorm),
    optim.adamw({
      learningRate: schedule,
      b2: 0.99,
      weightDecay: o.weightDecay,
      mask: decays,
    }),
  );
  return (
    o.accumulate > 1 ? optim.multiSteps(inner, { everyK: o.accumulate }) : inner
  ) as optim.GradientTransformation<jt.PyTree>;
}

/** Weight decay applies to matrices (kernels, the embedding tables), not to norm scales or biases. */
const decays = (params: jt.PyTree): optim.MaskTree => {
  // A plain signature: tree.map's mapped type is too deep to instantiate over a pytree.
  const map = jt.tree.map as (f: (x: jt.Array) => boolean, tree: unknown) => unknown;
  return map((x) => x.ndim > 1, params) as optim.MaskTree;
};

/** Mean next-character cross-entropy (nats) of a batch; dropout is on when a key is given. */
export const lossOf =
  (model: CharGpt) =>
  (params: GptParams, batch: Batch, key?: jt.Array): jt.Array => {
    const { logits } = model.apply(params, batch.inputs, {
      training: key !== undefined,
      ...(key ? { key } : {}),
    });
    return jt.mean(losses.sparseSoftmaxCrossEntropy(logits, batch.targets));
  };

/** The training step as one pure function, so it can be compiled whole. */
export type TrainStep = (
  params: GptParams,
  optState: jt.PyTree,
  batch: Batch,
  key: jt.Array,
) => [GptParams, jt.PyTree, jt.Array];

/**
 * `(params, optState, batch, key) → [params, optState, loss]`: gradient of the loss, one
 * optimizer update. Pure (nothing is read or written outside its arguments), so `jit`
 * traces it once and replays it (`jit: false` runs it eagerly).
 */
export function makeTrainStep(
  model: CharGpt,
  opt: optim.GradientTransformation<jt.PyTree>,
  o: { readonly dropout: boolean; readonly jit: boolean },
): TrainStep {
  const lossAndGrad = valueAndGrad(lossOf(model));
  const step: TrainStep = (params, optState, batch, key) => {
    const [loss, grads] = lossAndGrad(params, batch, o.dropout ? key : undefined);
    const [updates, next] = opt.update(grads, optState, params);
    return [optim.applyUpdates(params, updates), next, loss];
  };
  // The old parameters and optimizer state are dead after the step: their buffers may be reused.
  return compile(step, o.jit, { donateArgnums: [0, 1] });
}

/**
 * Mean loss (nats per character) on `ids`, by windows of `context` characters that overlap
 * by half: the first window scores every position, later ones only their second half, so
 * every scored character has at least `context / 2` characters of context (the model never
 * sees more than `context`). Returns the characters scored.
 */
export function evaluate(
  model: CharGpt,
  params: GptParams,
  ids: Int32Array,
  o: { readonly context: number; readonly batchSize: number; readonly jit?: boolean },
): { loss: number; chars: number } {
  const score = compile(
    (p: GptParams, inputs: jt.Array, targets: jt.Array, weights: jt.Array) =>
      jt.sum(
        jt.mul(losses.sparseSoftmaxCrossEntropy(model.apply(p, inputs).logits, targets), weights),
      ),
    o.jit ?? false,
  );
  const T = Math.max(2, Math.min(o.context, ids.length - 1));
  const stride = Math.max(1, Math.floor(T / 2));
  const starts: number[] = [];
  for (let s = 0; s + T + 1 <= ids.length; s += stride) starts.push(s);
  let total = 0;
  let chars = 0;
  for (let i = 0; i < starts.length; i += o.batchSize) {
    const group = starts.slice(i, i + o.batchSize);
    const inputs = new Int32Array(group.length * T);
    const targets = new Int32Array(group.length * T);
    const weights = new Float32Array(group.length * T);
    group.forEach((s, b) => {
      inputs.set(ids.subarray(s, s + T), b * T);
      targets.set(ids.subarray(s + 1, s + T + 1), b * T);
      weights.fill(1, b * T + (s === 0 ? 0 : T - stride), (b + 1) * T);
    });
    const shape = [group.length, T];
    const sum = score(
      params,
      jt.array(inputs, { shape, dtype: 'int32' }),
      jt.array(targets, { shape, dtype: 'int32' }),
      jt.array(weights, { shape }),
    );
    total += Number(sum.item());
    chars += weights.reduce((a, w) => a + w, 0);
  }
  return { loss: total / Math.max(1, chars), chars };
}

/** What one epoch did (its `steps` are micro-batch steps). */
export interface EpochStats extends TextEpochStats {
  /** Wall-clock seconds since training started, validation included (for learning curves). */
  readonly elapsed: number;
}

/** Options of {@link trainLoop}. */
export interface TrainOptions {
  readonly model: CharGpt;
  readonly step: TrainStep;
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly batchSize: number;
  readonly epochs: number;
  readonly startEpoch: number;
  /** Micro-batch steps per epoch. */
  readonly stepsPerEpoch: number;
  /** Steps taken before `startEpoch`, so step counts stay absolute when resuming. */
  readonly startStep?: number;
  /** Root of every epoch's shuffle and every step's dropout key. */
  readonly key: jt.Array;
  readonly progress?: boolean;
  /** Jit the validation forward pass (the step is compiled by its maker). */
  readonly jit?: boolean;
  readonly onEpoch?: (state: TrainState, stats: EpochStats, step: number) => Promise<void>;
}

/**
 * Trains epoch by epoch: each epoch shuffles the non-overlapping windows of the training
 * text (starting at a shifted offset, so window boundaries move between epochs) and takes
 * `stepsPerEpoch` batches; validation loss is measured after each epoch.
 */
export async function trainLoop(
  initial: TrainState,
  o: TrainOptions,
): Promise<{ state: TrainState; history: EpochStats[] }> {
  const T = o.model.config.context;
  let { params, optState } = initial;
  let steps = o.startStep ?? 0;
  const history: EpochStats[] = [];
  const started = performance.now();
  for (let e = o.startEpoch; e < o.epochs; e++) {
    const shift = (e * 37) % T;
    const batches = data.languageModelBatches(o.train.subarray(shift), {
      batchSize: o.batchSize,
      length: T,
      key: jt.random.foldIn(o.key, e),
    });
    const bar =
      o.progress === false ? undefined : progressBar(`epoch ${e + 1}/${o.epochs}`, o.stepsPerEpoch);
    const start = performance.now();
    let lossSum = 0;
    let i = 0;
    // Later epochs see the windows in another order; an epoch may stop before the last one.
    while (i < o.stepsPerEpoch) {
      const before = i;
      for await (const b of data.epoch(batches, e)) {
        const key = jt.random.foldIn(o.key, 1_000_003 + steps + i);
        const [p, s, loss] = o.step(params, optState, b, key);
        params = p;
        optState = s;
        lossSum += Number(loss.item());
        i++;
        const rate = (i * o.batchSize * T) / ((performance.now() - start) / 1000);
        bar?.update(i, { loss: (lossSum / i).toFixed(4), 'chars/s': rate.toFixed(0) });
        if (i >= o.stepsPerEpoch) break;
      }
      if (i === before) break; // no whole batch in the text: nothing to train on
    }
    const seconds = (performance.now() - start) / 1000;
    steps += i;
    const val = evaluate(o.model, params, o.validation, {
      context: T,
      batchSize: 64,
      jit: o.jit ?? false,
    });
    const stats: EpochStats = {
      epoch: e + 1,
      loss: lossSum / Math.max(1, i),
      validationLoss: val.loss,
      validationPerplexity: Math.exp(val.loss),
      validationChars: val.chars,
      steps: i,
      seconds,
      elapsed: (performance.now() - started) / 1000,
      charsPerSecond: (i * o.batchSize * T) / seconds,
    };
    bar?.finish({
      loss: stats.loss.toFixed(4),
      'val loss': stats.validationLoss.toFixed(4),
      'val ppl': stats.validationPerplexity.toFixed(2),
      'chars/s': stats.charsPerSecond.toFixed(0),
    });
    history.push(stats);
    await o.onEpoch?.({ params, optState }, stats, steps);
  }
  return { state: { params, optState }, history };
}
