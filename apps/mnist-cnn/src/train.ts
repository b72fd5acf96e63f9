import { progressBar, requireFiniteLoss, requireFiniteTree } from '@jute/app-kit';
import { jit, valueAndGrad } from '@jute/autodiff';
import * as data from '@jute/data';
import type * as datasets from '@jute/datasets';
import * as losses from '@jute/losses';
import * as metrics from '@jute/metrics';
import type * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import type { TrainState } from './checkpoint';

export interface EpochStats {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly testAccuracy: number;
  readonly examplesPerSecond: number;
}

/**
 * One optimisation step: loss, accuracy on the batch, and the next training state. The
 * step is one pure function, compiled with `jit` (traced on the first batch, replayed
 * after); `{ jit: false }` runs it eagerly.
 */
export function makeTrainStep(
  model: nn.Sequential,
  opt: optim.GradientTransformation<jt.PyTree>,
  options: { jit?: boolean } = {},
) {
  const loss = (params: jt.PyTree, state: jt.PyTree, x: jt.Array, y: jt.Array, key: jt.Array) => {
    const out = model.apply(params, x, {
      state: state,
      key,
      training: true,
    });
    return [
      jt.mean(losses.sparseSoftmaxCrossEntropy(out.y, y)),
      { logits: out.y, state: out.state },
    ] as const;
  };
  const lossAndGrad = valueAndGrad(loss, { hasAux: true });
  const pure = (train: TrainState, x: jt.Array, y: jt.Array, key: jt.Array) => {
    const [[value, aux], grads] = lossAndGrad(train.params, train.state, x, y, key);
    const [updates, optState] = opt.update(grads, train.optState, train.params);
    const next: TrainState = {
      params: optim.applyUpdates(train.params, updates),
      state: aux.state,
      optState,
    };
    const correct = jt.sum(jt.equal(jt.argmax(aux.logits, { axis: -1 }), y));
    return { next, loss: value, correct };
  };
  const run = options.jit === false ? pure : jit(pure);
  return (train: TrainState, x: jt.Array, y: jt.Array, key: jt.Array) => {
    const r = run(train, x, y, key);
    return { next: r.next, loss: Number(r.loss.item()), correct: Number(r.correct.item()) };
  };
}

/** The model's predicted classes in inference mode, compiled once per batch shape. */
export function makePredict(model: nn.Sequential) {
  return jit((params: jt.PyTree, state: jt.PyTree, x: jt.Array) =>
    jt.argmax(model.apply(params, x, { state, training: false }).y, { axis: -1 }),
  );
}

/** Confusion matrix of the model on a labelled set, in inference mode, batch by batch. */
export async function confusionOn(
  model: nn.Sequential,
  train: TrainState,
  images: jt.Array,
  labels: jt.Array,
  batchSize = 500,
): Promise<jt.Array> {
  const stream = metrics.streaming.confusionMatrix({ numClasses: 10 });
  let acc = stream.init();
  const predict = makePredict(model);
  const ds = pipe(data.fromArrays({ x: images, y: labels }), data.batch(batchSize));
  for await (const { x, y } of ds) {
    acc = stream.update(acc, predict(train.params, train.state, x), y);
  }
  return stream.compute(acc);
}

export interface TrainOptions {
  readonly model: nn.Sequential;
  readonly opt: optim.GradientTransformation<jt.PyTree>;
  readonly train: datasets.LabelledImages;
  readonly test: datasets.LabelledImages;
  readonly batchSize: number;
  readonly epochs: number;
  readonly startEpoch: number;
  readonly key: jt.Array;
  /** Called after each epoch with the new state (to checkpoint it). */
  readonly onEpoch: (state: TrainState, stats: EpochStats, step: number) => Promise<void>;
  /** Random augmentation of each training batch, keyed per batch from the epoch and index. */
  readonly augment?: data.ImageTransform;
  /** Replaces each batch just before its step, given the current state (adversarial training). */
  readonly prepareBatch?: (
    x: jt.Array,
    y: jt.Array,
    key: jt.Array,
    state: TrainState,
  ) => { x: jt.Array; y: jt.Array };
}

/**
 * Trains epoch by epoch with a progress bar, evaluating on the test split after each.
 * Throws `DivergedError` (from `@jute/app-kit`) at the first non-finite loss, or when the
 * parameters are no longer finite at the end of an epoch, before `onEpoch` saves them.
 */
export async function trainLoop(
  initial: TrainState,
  o: TrainOptions,
): Promise<{ state: TrainState; history: EpochStats[] }> {
  const [shuffleKey, dropoutKey] = jt.random.split(o.key, 2);
  // Augmentation and attacks draw from their own streams, so that turning them on leaves
  // the shuffle order and the dropout masks as they were.
  const [augmentKey, attackKey] = jt.random.split(jt.random.foldIn(o.key, 1), 2);
  const batches = pipe(
    data.fromArrays({ x: o.train.images, y: o.train.labels }),
    data.shuffle(shuffleKey!),
    data.batch(o.batchSize, { dropRemainder: true }),
  );
  const augment = o.augment;
  const ds = augment
    ? pipe(
        batches,
        data.mapWithKey(augmentKey!, ({ x, y }, k) => ({ x: augment(k, x), y })),
      )
    : batches;
  const steps = Math.floor(o.train.labels.shape[0]! / o.batchSize);
  const step = makeTrainStep(o.model, o.opt);
  let state = initial;
  const history: EpochStats[] = [];
  for (let e = o.startEpoch; e < o.epochs; e++) {
    const bar = progressBar(`epoch ${e + 1}/${o.epochs}`, steps);
    const start = performance.now();
    let [lossSum, correct, seen, i] = [0, 0, 0, 0];
    for await (const batch of data.epoch(ds, e)) {
      const { x, y } = o.prepareBatch
        ? o.prepareBatch(batch.x, batch.y, jt.random.foldIn(attackKey!, e * steps + i), state)
        : batch;
      const r = step(state, x, y, jt.random.foldIn(dropoutKey!, e * steps + i));
      // Stop at the first non-finite loss: the state it produced is not kept, nor saved.
      requireFiniteLoss(r.loss, `epoch ${e + 1}, step ${i + 1}`);
      state = r.next;
      lossSum += r.loss;
      correct += r.correct;
      seen += y.shape[0]!;
      i++;
      const rate = seen / ((performance.now() - start) / 1000);
      bar.update(i, {
        loss: (lossSum / i).toFixed(4),
        acc: `${((100 * correct) / seen).toFixed(2)}%`,
        'ex/s': rate.toFixed(0),
      });
    }
    const seconds = (performance.now() - start) / 1000;
    const cm = await confusionOn(o.model, state, o.test.images, o.test.labels);
    const stats: EpochStats = {
      epoch: e + 1,
      loss: lossSum / Math.max(1, i),
      accuracy: correct / Math.max(1, seen),
      testAccuracy: Number(metrics.accuracyFromConfusion(cm).item()),
      examplesPerSecond: seen / seconds,
    };
    bar.finish({
      loss: stats.loss.toFixed(4),
      acc: `${(100 * stats.accuracy).toFixed(2)}%`,
      'test acc': `${(100 * stats.testAccuracy).toFixed(2)}%`,
      'ex/s': stats.examplesPerSecond.toFixed(0),
    });
    history.push(stats);
    // The last update can overflow the weights while its loss was still finite.
    requireFiniteTree(state.params, `in the parameters after epoch ${e + 1}`);
    await o.onEpoch(state, stats, (e + 1) * steps);
  }
  return { state, history };
}
