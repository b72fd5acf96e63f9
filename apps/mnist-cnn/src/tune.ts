import { writeFile } from 'node:fs/promises';
import { fail, parseCommand, userPath } from '@jute/app-kit';
import { buildModel, type ModelKind } from '@jute/app-kit/mnist-model';
import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as losses from '@jute/losses';
import type * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import * as tune from '@jute/tune';
import { fileJournal } from '@jute/tune/node';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { appError, type TrainState } from './checkpoint';
import { makeTrainStep } from './train';

/** What `pnpm mnist tune` searches: Adam's step size, the batch, and the hidden layer. */
export const searchSpace = {
  lr: tune.logUniform(1e-4, 1e-2),
  batchSize: tune.choice([32, 64, 128]),
  dropout: tune.uniform(0, 0.6),
  width: tune.int(32, 512, { log: true }),
};

/** A configuration of {@link searchSpace}. */
export type TuneConfig = tune.ConfigOf<typeof searchSpace>;

const tuneFlags = {
  trials: {
    type: 'number',
    help: 'Trial budget: the study ends with this many trials (resumed ones included)',
    default: 12,
    integer: true,
    min: 1,
  },
  epochs: {
    type: 'number',
    help: 'Epochs of a trial that is never pruned',
    default: 3,
    integer: true,
    min: 1,
  },
  journal: {
    type: 'string',
    help: 'Study journal (JSON lines); run again with the same file to resume after a crash',
  },
  model: { type: 'string', help: 'Architecture', default: 'mlp', choices: ['mlp', 'cnn'] },
  limit: {
    type: 'number',
    help: 'Training images per trial (a subsample, so that trials are quick)',
    default: 2000,
    integer: true,
    min: 1,
  },
  validation: {
    type: 'number',
    help: 'Validation images, held out from the end of the training split',
    default: 1000,
    integer: true,
    min: 1,
  },
  seed: {
    type: 'number',
    help: 'Seed of the search and of the data split',
    default: 0,
    integer: true,
  },
  data: {
    type: 'string',
    help: 'Directory with the full MNIST IDX files (default: the 10,000 embedded digits)',
  },
  plot: { type: 'string', help: 'Write an SVG of the optimization history' },
} as const;

/** Mean cross-entropy and accuracy of a model on a labelled set, in inference mode. */
async function evaluate(model: nn.Sequential, s: TrainState, set: datasets.LabelledImages) {
  let [lossSum, correct, n] = [0, 0, 0];
  const ds = pipe(data.fromArrays({ x: set.images, y: set.labels }), data.batch(500));
  for await (const { x, y } of ds) {
    const { y: logits } = model.apply(s.params as nn.ChildTrees, x, {
      state: s.state as nn.ChildTrees,
      training: false,
    });
    lossSum += Number(jt.sum(losses.sparseSoftmaxCrossEntropy(logits, y)).item());
    correct += Number(jt.sum(jt.equal(jt.argmax(logits, { axis: -1 }), y)).item());
    n += y.shape[0]!;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/** What one trial needs besides its configuration. */
export interface TrialData {
  readonly kind: ModelKind;
  readonly train: datasets.LabelledImages;
  readonly validation: datasets.LabelledImages;
  readonly epochs: number;
  /** Validation accuracy of each trial's last evaluation, for the progress lines. */
  readonly accuracy: Map<number, number>;
}

/**
 * The objective: train the configuration epoch by epoch, report the validation loss after
 * each, and stop when ASHA says so. Returns the last validation loss.
 */
export const objective =
  (d: TrialData): tune.Objective<TuneConfig> =>
  async (trial) => {
    const p = trial.params;
    const model = buildModel(d.kind, { width: p.width, dropout: p.dropout });
    const [initKey, shuffleKey, dropoutKey] = jt.random.split(trial.key, 3);
    const { params, state } = model.init(initKey!, [p.batchSize, 28, 28, 1]);
    const opt = optim.adam({ learningRate: p.lr });
    let s: TrainState = { params, state, optState: opt.init(params) };
    const step = makeTrainStep(model, opt);
    const batches = pipe(
      data.fromArrays({ x: d.train.images, y: d.train.labels }),
      data.shuffle(shuffleKey!),
      data.batch(p.batchSize, { dropRemainder: true }),
    );
    let loss = Number.NaN;
    let i = 0;
    for (let epoch = 1; epoch <= d.epochs; epoch++) {
      for await (const { x, y } of data.epoch(batches, epoch - 1)) {
        s = step(s, x, y, jt.random.foldIn(dropoutKey!, i++)).next;
      }
      const v = await evaluate(model, s, d.validation);
      loss = v.loss;
      d.accuracy.set(trial.number, v.accuracy);
      trial.report(epoch, loss);
      // The last epoch is the trial's result: nothing is left to save by stopping it.
      if (epoch < d.epochs && trial.shouldPrune()) break;
    }
    return loss;
  };

const fmt = (c: Readonly<Record<string, unknown>>) =>
  `lr ${Number(c.lr).toPrecision(3)}, batch ${c.batchSize}, dropout ${Number(c.dropout).toFixed(3)}, width ${c.width}`;

/** The training command that trains a configuration on all training images. */
export const trainCommand = (kind: ModelKind, c: TuneConfig, epochs: number): string =>
  [
    'pnpm mnist',
    `--model ${kind}`,
    `--lr ${Number(c.lr.toPrecision(3))}`,
    `--batch-size ${c.batchSize}`,
    `--dropout ${Number(c.dropout.toFixed(3))}`,
    `--width ${c.width}`,
    `--epochs ${epochs}`,
  ].join(' ');

/** `pnpm mnist tune`: hyperparameter search with TPE and ASHA, journaled. */
export async function tuneCommand(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage: 'pnpm mnist tune [--trials N] [--epochs E] [--journal FILE] [options]',
      summary:
        'Search learning rate, batch size, dropout and width (TPE), stopping poor trials early (ASHA), on a validation split of the training images.',
      flags: tuneFlags,
    },
    argv,
  );
  if (!args) return;
  const f = args.flags;
  const kind = f.model as ModelKind;
  const loaded = await datasets.loadMnist(
    f.data ? { dir: userPath(f.data), seed: f.seed } : { seed: f.seed },
  )();
  if (E.isLeft(loaded)) return fail(appError(data.formatDataError(loaded.left)));
  const pool = loaded.right.train;
  const total = pool.labels.shape[0]!;
  if (f.validation >= total)
    return fail(
      appError(`--validation ${f.validation} leaves no training images (the split has ${total})`),
    );
  // Training images from the front, validation from the back: never the same image, and
  // never the test split, which tuning must not see.
  const n = Math.min(f.limit, total - f.validation);
  const slice = (lo: number, hi: number): datasets.LabelledImages => ({
    images: jt.slice(pool.images, [lo], [hi]),
    labels: jt.slice(pool.labels, [lo], [hi]),
  });
  const d: TrialData = {
    kind,
    train: slice(0, n),
    validation: slice(total - f.validation, total),
    epochs: f.epochs,
    accuracy: new Map(),
  };
  const study = await tune.createStudy({
    space: searchSpace,
    key: jt.random.key(f.seed),
    sampler: tune.tpeSampler({ startupTrials: 5 }),
    pruner: tune.ashaPruner({ minResource: 1, reductionFactor: 3 }),
    ...(f.journal ? { journal: fileJournal(userPath(f.journal)) } : {}),
  })();
  if (E.isLeft(study)) return fail(appError(tune.formatTuneError(study.left)));
  const before = study.right.trials;
  if (before.length > 0) {
    const running = before.filter((t) => t.state === 'running').length;
    console.error(
      `resuming ${f.journal}: ${before.length - running} trials finished${running ? `, ${running} interrupted (restarted)` : ''}`,
    );
  }
  console.error(
    `tuning ${kind}: ${f.trials} trials of up to ${f.epochs} epochs, each on ${n} training images (a subsample) ` +
      `and scored on ${f.validation} held-out validation images; ASHA (η = 3) stops poor trials after epoch 1, 3, 9 ...`,
  );
  const done = await study.right.optimize(objective(d), {
    trials: f.trials,
    onTrialEnd: (t) => {
      const acc = d.accuracy.get(t.number);
      const result =
        t.state === 'failed'
          ? `failed: ${t.error}`
          : `val loss ${t.value?.toFixed(4)}${acc === undefined ? '' : `, acc ${(100 * acc).toFixed(1)}%`}` +
            (t.state === 'pruned' ? `, pruned after epoch ${t.reports.length}` : '');
      console.error(`trial ${t.number}: ${fmt(t.params)} → ${result}`);
    },
  })();
  if (E.isLeft(done)) return fail(appError(tune.formatTuneError(done.left)));
  const trials = done.right;
  console.log(tune.leaderboard(trials, { valueName: 'val loss', top: 10 }));
  const best = study.right.best;
  if (!best) return fail(appError('no trial completed; see the errors above'));
  console.log(
    `\nbest: trial ${best.number}, validation loss ${best.value!.toFixed(4)}: ${fmt(best.params)}`,
  );
  console.log(
    `train it on all training images with:\n  ${trainCommand(kind, best.params, f.epochs)}`,
  );
  if (f.plot) {
    await writeFile(
      userPath(f.plot),
      tune.historySvg(trials, { title: `pnpm mnist tune (${kind})`, valueName: 'validation loss' }),
    );
    console.error(`history: ${f.plot}`);
  }
  if (f.journal) console.error(`journal: ${f.journal}`);
}
