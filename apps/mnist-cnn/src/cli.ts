#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { fail, lineChart, parseCommand, userPath } from '@jute/app-kit';
import { buildModel, type ModelKind } from '@jute/app-kit/mnist-model';
import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { attackCommand } from './attack-command';
import { appError, loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { predict } from './predict';
import { formatReport } from './report';
import { confusionOn, type EpochStats, trainLoop } from './train';
import {
  describeRobustFlags,
  robustLoopOptions,
  robustTrainFlags,
  shiftedAccuracy,
  withAccumulation,
} from './train-extras';
import { tuneCommand } from './tune';

const trainFlags = {
  epochs: {
    type: 'number',
    help: 'Passes over the training split',
    default: 4,
    integer: true,
    min: 1,
  },
  batchSize: { type: 'number', help: 'Examples per step', default: 64, integer: true, min: 1 },
  lr: { type: 'number', help: 'Adam learning rate', default: 0.001, min: 0 },
  seed: {
    type: 'number',
    help: 'Seed for initialisation, shuffling and dropout',
    default: 0,
    integer: true,
  },
  data: {
    type: 'string',
    help: 'Directory with the full MNIST IDX files (default: the 10,000 embedded digits)',
  },
  out: { type: 'string', help: 'Checkpoint (safetensors) written after each epoch' },
  resume: { type: 'string', help: 'Continue training from this checkpoint' },
  model: { type: 'string', help: 'Architecture', default: 'cnn', choices: ['mlp', 'cnn'] },
  limit: {
    type: 'number',
    help: 'Train on the first N training examples only',
    integer: true,
    min: 1,
  },
  plot: { type: 'string', help: 'Write an SVG of the loss and accuracy curves' },
  dropout: {
    type: 'number',
    help: 'Dropout rate before the output layer (default 0.2 mlp, 0.5 cnn)',
    min: 0,
  },
  width: {
    type: 'number',
    help: 'Units of the hidden dense layer (default 256 mlp, 128 cnn)',
    integer: true,
    min: 1,
  },
  ...robustTrainFlags,
} as const;

const predictFlags = {
  checkpoint: { type: 'string', help: 'Checkpoint written by training (--out)' },
  index: {
    type: 'number',
    help: 'Classify test image N of the split instead of a PNG',
    integer: true,
    min: 0,
  },
  model: {
    type: 'string',
    help: 'Architecture of the checkpoint',
    default: 'cnn',
    choices: ['mlp', 'cnn'],
  },
  data: trainFlags.data,
  seed: {
    type: 'number',
    help: 'Seed of the embedded train/test split',
    default: 0,
    integer: true,
  },
} as const;

async function loadData(dir: string | undefined, seed: number) {
  const loaded = await datasets.loadMnist(dir ? { dir: userPath(dir), seed } : { seed })();
  return E.isLeft(loaded) ? fail(appError(data.formatDataError(loaded.left))) : loaded.right;
}

async function train(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage: 'pnpm mnist [train] [options]',
      summary: 'Train a digit classifier on MNIST, then evaluate it on the held-out split.',
      flags: trainFlags,
    },
    argv,
  );
  if (!args) return;
  const f = args.flags;
  const kind = f.model as ModelKind;
  const mnist = await loadData(f.data, f.seed);
  const n = Math.min(f.limit ?? Number.POSITIVE_INFINITY, mnist.train.labels.shape[0]!);
  const trainSet = {
    images: jt.slice(mnist.train.images, [0], [n]),
    labels: jt.slice(mnist.train.labels, [0], [n]),
  };
  if (n < f.batchSize)
    return fail(appError(`--batch-size ${f.batchSize} is larger than the ${n} training examples`));

  const model = buildModel(kind, { width: f.width, dropout: f.dropout });
  const [initKey, trainKey] = jt.random.split(jt.random.key(f.seed), 2);
  const { params, state } = model.init(initKey!, [f.batchSize, 28, 28, 1]);
  const opt = withAccumulation(optim.adam({ learningRate: f.lr }), f);
  let start: TrainState = { params, state, optState: opt.init(params) };
  let startEpoch = 0;
  if (f.resume) {
    const loaded = await loadCheckpoint(userPath(f.resume), start, kind)();
    if (E.isLeft(loaded)) return fail(loaded.left);
    start = loaded.right.train;
    startEpoch = loaded.right.meta.epoch;
    console.error(`resumed from ${f.resume} after epoch ${startEpoch}`);
  }
  console.error(
    `training ${kind} on ${n} images (test ${mnist.test.labels.shape[0]}), batch ${f.batchSize}, Adam lr ${f.lr}, seed ${f.seed}`,
  );
  if (describeRobustFlags(f)) console.error(`with ${describeRobustFlags(f)}`);
  process.on('SIGINT', () => {
    process.stderr.write(
      `\ninterrupted${f.out ? `; ${f.out} holds the last complete epoch` : ''}\n`,
    );
    process.exit(130);
  });
  const history: EpochStats[] = [];
  const writePlot = async () => {
    if (!f.plot || history.length === 0) return;
    const xs = (k: keyof EpochStats) => history.map((h) => [h.epoch, h[k]] as const);
    const svg = [
      lineChart([{ name: 'train loss', points: xs('loss') }], {
        title: 'Training loss',
        xLabel: 'epoch',
        yLabel: 'cross-entropy',
      }),
      lineChart(
        [
          { name: 'train accuracy', points: xs('accuracy') },
          { name: 'test accuracy', points: xs('testAccuracy') },
        ],
        { title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy' },
      ),
    ];
    // Two charts stacked in one SVG document.
    const body = svg.map((s, i) => s.replace('<svg ', `<svg y="${i * 360}" `)).join('\n');
    await writeFile(
      userPath(f.plot),
      `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="720">\n${body}\n</svg>\n`,
    );
  };
  const { state: final } = await trainLoop(start, {
    model,
    opt,
    train: trainSet,
    test: mnist.test,
    batchSize: f.batchSize,
    epochs: f.epochs,
    startEpoch,
    key: trainKey!,
    ...robustLoopOptions(model, f),
    onEpoch: async (s, stats, step) => {
      history.push(stats);
      if (f.out) {
        const saved = await saveCheckpoint(userPath(f.out), s, {
          model: kind,
          epoch: stats.epoch,
          step,
        })();
        if (E.isLeft(saved)) fail(saved.left);
      }
      await writePlot();
    },
  });
  console.log(formatReport(await confusionOn(model, final, mnist.test.images, mnist.test.labels)));
  const shifted = await shiftedAccuracy(model, final, mnist.test);
  console.log(`test accuracy with every digit moved 3 px: ${(100 * shifted).toFixed(2)}%`);
  if (f.out) console.error(`checkpoint: ${f.out}`);
  if (f.plot) console.error(`curves: ${f.plot}`);
}

/** Below this probability for the predicted class, `predict` warns that it is a guess. */
const LOW_CONFIDENCE = 0.5;

async function predictCommand(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage: 'pnpm mnist predict --checkpoint FILE [IMAGE.png | --index N]',
      summary: 'Classify one digit with a trained model.',
      flags: predictFlags,
      positional: 1,
    },
    argv,
  );
  if (!args) return;
  const f = args.flags;
  const image = args.positional[0];
  if (!f.checkpoint) return fail(appError('predict needs --checkpoint FILE'));
  if ((image === undefined) === (f.index === undefined))
    return fail(appError('predict needs exactly one of IMAGE.png or --index N'));
  const result = await predict({
    checkpoint: userPath(f.checkpoint),
    model: f.model as ModelKind,
    source:
      image !== undefined
        ? { png: userPath(image) }
        : { index: f.index!, load: () => loadData(f.data, f.seed) },
  })();
  if (E.isLeft(result)) return fail(result.left);
  const { digit, probabilities, label } = result.right;
  const confidence = probabilities[digit]!;
  console.log(
    `predicted digit: ${digit} (confidence ${(100 * confidence).toFixed(2)}%${label !== undefined ? `, true label ${label}` : ''})`,
  );
  if (confidence < LOW_CONFIDENCE)
    console.error(
      `warning: low confidence (${(100 * confidence).toFixed(1)}% < ${100 * LOW_CONFIDENCE}%): the image may not be one handwritten digit`,
    );
  probabilities.forEach((p, d) => {
    console.log(`  ${d}: ${(100 * p).toFixed(2).padStart(6)}% ${'█'.repeat(Math.round(p * 40))}`);
  });
}

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === 'predict') return predictCommand(rest);
  if (first === 'attack') return attackCommand(rest);
  if (first === 'tune') return tuneCommand(rest);
  if (first === 'train') return train(rest);
  return train(argv);
}

main(process.argv.slice(2)).catch((e: unknown) =>
  fail({ message: e instanceof Error ? e.message : String(e) }),
);
