import {
  progressBar,
  requireFinite,
  requireFiniteLoss,
  requireFiniteTree,
  type TextEpochStats,
} from '@jute/app-kit';
import { jit, valueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import type { TrainState } from './checkpoint';
import { epochSlice, type StreamBatch, streamBatches } from './corpus';
import type { Carry, CharLstm, CharLstmParams } from './model';

/** What one epoch did (the report and the learning curves read it). */
export type EpochStats = TextEpochStats;

/** The optimizer the app trains with: global-norm clipping, then Adam. */
export const makeOptimizer = (learningRate: number, clipNorm = 1) =>
  optim.chain(optim.clipByGlobalNorm(clipNorm), optim.adam({ learningRate }));

/** Mean next-character cross-entropy (nats) of a batch, and the LSTM state after it. */
export const lossOf =
  (model: CharLstm) => (params: CharLstmParams, b: StreamBatch, carry: Carry) => {
    const { logits, carry: next } = model.apply(params, b.inputs, carry);
    return [jt.mean(losses.sparseSoftmaxCrossEntropy(logits, b.targets)), next] as const;
  };

/**
 * One step of truncated backpropagation through time: gradients flow through the
 * window's scan only; the incoming `carry` is a constant, the outgoing one seeds the
 * next window of the same streams.
 */
export function makeTrainStep(
  model: CharLstm,
  opt: optim.GradientTransformation<jt.PyTree>,
  options: { jit?: boolean } = {},
) {
  const lossAndGrad = valueAndGrad(lossOf(model), { hasAux: true });
  // One pure step, compiled by `jit` (traced on the first window, replayed after).
  const pure = (train: TrainState, b: StreamBatch, carry: Carry) => {
    const [[value, next], grads] = lossAndGrad(train.params, b, carry);
    const [updates, optState] = opt.update(grads, train.optState, train.params);
    return {
      next: { params: optim.applyUpdates(train.params, updates), optState } as TrainState,
      carry: next,
      loss: value,
    };
  };
  const run = options.jit === false ? pure : jit(pure);
  return (train: TrainState, b: StreamBatch, carry: Carry) => {
    const r = run(train, b, carry);
    return { next: r.next, carry: r.carry, loss: Number(r.loss.item()) };
  };
}

/**
 * Mean loss (nats per character) of the model on `ids`, read as `batchSize` streams whose
 * state carries over from window to window, as in training. Returns the characters scored.
 */
export function evaluate(
  model: CharLstm,
  params: CharLstmParams,
  ids: Int32Array,
  o: { readonly batchSize: number; readonly length: number },
): { loss: number; chars: number } {
  const length = Math.max(1, Math.min(o.length, ids.length - 1));
  const batchSize = Math.max(1, Math.min(o.batchSize, Math.floor((ids.length - 1) / length)));
  const streams = streamBatches(ids, { batchSize, length });
  const score = jit(lossOf(model));
  let carry = model.initialCarry(batchSize);
  let total = 0;
  for (let i = 0; i < streams.steps; i++) {
    const [loss, next] = score(params, streams.batch(i), carry);
    total += Number(loss.item());
    carry = next;
  }
  return { loss: total / Math.max(1, streams.steps), chars: streams.steps * batchSize * length };
}

/** Options of {@link trainLoop}. */
export interface TrainOptions {
  readonly model: CharLstm;
  readonly opt: optim.GradientTransformation<jt.PyTree>;
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly batchSize: number;
  readonly seqLen: number;
  readonly epochs: number;
  readonly startEpoch: number;
  /** Steps taken before `startEpoch` (when resuming), so reported step counts stay absolute. */
  readonly startStep?: number;
  /** Training characters per epoch (default all); epochs walk through the text in turn. */
  readonly charsPerEpoch?: number;
  /** Draw a progress bar on stderr (default true). */
  readonly progress?: boolean;
  /** Called after each epoch with the new state (to checkpoint it) and the steps so far. */
  readonly onEpoch?: (state: TrainState, stats: EpochStats, step: number) => Promise<void>;
}

/**
 * Trains epoch by epoch with a progress bar, measuring validation loss after each. Throws
 * `DivergedError` (from `@jute/app-kit`) at the first non-finite training or validation
 * loss, or when the parameters stop being finite, before `onEpoch` could save them.
 */
export async function trainLoop(
  initial: TrainState,
  o: TrainOptions,
): Promise<{ state: TrainState; history: EpochStats[] }> {
  const step = makeTrainStep(o.model, o.opt);
  const perEpoch = Math.min(o.charsPerEpoch ?? o.train.length, o.train.length);
  let state = initial;
  let steps = o.startStep ?? 0;
  const history: EpochStats[] = [];
  for (let e = o.startEpoch; e < o.epochs; e++) {
    const streams = streamBatches(epochSlice(o.train, e, perEpoch), {
      batchSize: o.batchSize,
      length: o.seqLen,
    });
    const bar =
      o.progress === false ? undefined : progressBar(`epoch ${e + 1}/${o.epochs}`, streams.steps);
    const start = performance.now();
    // The state starts from zeros each epoch: the epoch's streams begin elsewhere in the text.
    let carry = o.model.initialCarry(o.batchSize);
    let lossSum = 0;
    for (let i = 0; i < streams.steps; i++) {
      const r = step(state, streams.batch(i), carry);
      // Stop at the first non-finite loss: the state it produced is not kept, nor saved.
      requireFiniteLoss(r.loss, `epoch ${e + 1}, step ${i + 1}`);
      state = r.next;
      carry = r.carry;
      lossSum += r.loss;
      const rate = ((i + 1) * o.batchSize * o.seqLen) / ((performance.now() - start) / 1000);
      bar?.update(i + 1, { loss: (lossSum / (i + 1)).toFixed(4), 'chars/s': rate.toFixed(0) });
    }
    const seconds = (performance.now() - start) / 1000;
    steps += streams.steps;
    // Forward passes cost little next to per-op overhead at these sizes: score many streams at once.
    const val = evaluate(o.model, state.params, o.validation, {
      batchSize: Math.max(o.batchSize, 128),
      length: o.seqLen,
    });
    // A loss past ~709 nats/char is finite but its perplexity is not: as diverged as NaN.
    requireFinite(Math.exp(val.loss), 'validation perplexity', `epoch ${e + 1}`);
    const stats: EpochStats = {
      epoch: e + 1,
      loss: lossSum / Math.max(1, streams.steps),
      validationLoss: val.loss,
      validationPerplexity: Math.exp(val.loss),
      validationChars: val.chars,
      steps: streams.steps,
      seconds,
      charsPerSecond: (streams.steps * o.batchSize * o.seqLen) / seconds,
    };
    bar?.finish({
      loss: stats.loss.toFixed(4),
      'val loss': stats.validationLoss.toFixed(4),
      'val ppl': stats.validationPerplexity.toFixed(2),
      'chars/s': stats.charsPerSecond.toFixed(0),
      'steps/s': (stats.steps / seconds).toFixed(2),
    });
    history.push(stats);
    // The last update can overflow the weights while its loss was still finite.
    requireFiniteTree(state.params, `in the parameters after epoch ${e + 1}`);
    await o.onEpoch?.(state, stats, steps);
  }
  return { state, history };
}
