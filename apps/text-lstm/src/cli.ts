#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { fail, lineChart, parseCommand, userPath } from '@jute/app-kit';
import { encodePrompt, loadCorpus, unigramPerplexity } from '@jute/app-kit/text-corpus';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { appError } from './errors';
import { charLstm } from './model';
import { formatReport } from './report';
import { MAX_SAMPLE_LENGTH, sample } from './sample';
import { type EpochStats, makeOptimizer, trainLoop } from './train';

const trainFlags = {
  epochs: {
    type: 'number',
    help: 'Passes (of --limit-chars each) over the training text',
    default: 2,
    integer: true,
    min: 1,
  },
  batchSize: {
    type: 'number',
    help: 'Parallel streams of text per step',
    default: 128,
    integer: true,
    min: 1,
  },
  seqLen: {
    type: 'number',
    help: 'Characters per window (truncated BPTT length)',
    default: 64,
    integer: true,
    min: 1,
  },
  hidden: { type: 'number', help: 'LSTM hidden size', default: 128, integer: true, min: 1 },
  embed: { type: 'number', help: 'Character embedding size', default: 32, integer: true, min: 1 },
  lr: { type: 'number', help: 'Adam learning rate', default: 0.003, min: 0 },
  clipNorm: { type: 'number', help: 'Clip gradients to this global norm', default: 1, min: 0 },
  seed: {
    type: 'number',
    help: 'Seed for initialisation and the final sample',
    default: 0,
    integer: true,
  },
  limitChars: {
    type: 'number',
    help: 'Training characters per epoch; later epochs take the following slices of the text',
    default: 800_000,
    integer: true,
    min: 2,
  },
  corpus: { type: 'string', help: 'UTF-8 text file to train on (default: the embedded Moby-Dick)' },
  out: { type: 'string', help: 'Checkpoint (safetensors) written atomically after each epoch' },
  resume: { type: 'string', help: 'Continue training from this checkpoint' },
  plot: { type: 'string', help: 'Write an SVG of the training and validation loss per epoch' },
} as const;

const sampleFlags = {
  checkpoint: { type: 'string', help: 'Checkpoint written by training (--out)' },
  prompt: { type: 'string', help: 'Text to start from', default: 'The ' },
  length: {
    type: 'number',
    help: 'Characters to generate',
    default: 300,
    integer: true,
    min: 0,
    max: MAX_SAMPLE_LENGTH,
  },
  temperature: {
    type: 'number',
    help: 'Softmax temperature; 0 always takes the likeliest character',
    default: 0.8,
    min: 0,
  },
  seed: { type: 'number', help: 'Seed of the sampler', default: 0, integer: true },
} as const;

const VALIDATION_FRACTION = 0.1;

async function train(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage: 'pnpm lstm [train] [options]',
      summary:
        'Train a character-level LSTM language model (embedding → LSTM → dense) with truncated\nbackpropagation through time; report validation perplexity against the unigram baseline.\nSample from the checkpoint with `pnpm lstm sample --help`.',
      flags: trainFlags,
    },
    argv,
  );
  if (!args) return;
  const f = args.flags;
  const corpus = await loadCorpus({
    ...(f.corpus ? { path: userPath(f.corpus) } : {}),
    validationFraction: VALIDATION_FRACTION,
    minChars: f.seqLen + 1,
  })();
  if (E.isLeft(corpus)) return fail(corpus.left);
  const { vocab, train: trainIds, validation } = corpus.right;
  const perEpoch = Math.min(f.limitChars, trainIds.length);
  if (Math.floor((perEpoch - 1) / f.batchSize) < f.seqLen)
    return fail(
      appError(
        `${perEpoch} training characters per epoch cannot fill ${f.batchSize} streams of --seq-len ${f.seqLen}; lower --batch-size or --seq-len`,
      ),
    );

  let config = { vocabSize: vocab.size, embed: f.embed, hidden: f.hidden };
  const [initKey, sampleKey] = jt.random.split(jt.random.key(f.seed), 2);
  const opt = makeOptimizer(f.lr, f.clipNorm);
  let start: TrainState;
  let startEpoch = 0;
  let startStep = 0;
  if (f.resume) {
    const ckpt = await loadCheckpoint(userPath(f.resume))();
    if (E.isLeft(ckpt)) return fail(ckpt.left);
    const { meta, model } = ckpt.right;
    if (meta.hidden !== f.hidden || meta.embed !== f.embed)
      return fail(
        appError(
          `${f.resume} has --hidden ${meta.hidden} --embed ${meta.embed}, not --hidden ${f.hidden} --embed ${f.embed}`,
        ),
      );
    if (meta.chars.join('') !== vocab.chars.join(''))
      return fail(appError(`${f.resume} was trained on a corpus with a different character set`));
    const params = model.init(initKey!);
    const restored = ckpt.right.restore({ params, optState: opt.init(params) });
    if (E.isLeft(restored)) return fail(restored.left);
    config = meta;
    start = restored.right as TrainState;
    startEpoch = meta.epoch;
    startStep = meta.step;
    console.error(`resumed from ${f.resume} after epoch ${startEpoch}`);
  } else {
    const params = charLstm(config).init(initKey!);
    start = { params, optState: opt.init(params) };
  }
  const model = charLstm(config);
  const unigram = unigramPerplexity(trainIds, vocab.size);
  console.error(
    `training on ${f.corpus ?? 'Moby-Dick'}: ${trainIds.length.toLocaleString('en-US')} training chars (${perEpoch.toLocaleString('en-US')} per epoch), ${validation.length.toLocaleString('en-US')} held out, vocabulary ${vocab.size}`,
  );
  console.error(
    `model: embedding ${f.embed} → LSTM ${f.hidden} → dense ${vocab.size}; batch ${f.batchSize}×${f.seqLen}, Adam lr ${f.lr}, clip ${f.clipNorm}, seed ${f.seed}; unigram perplexity ${unigram.toFixed(2)}`,
  );
  process.on('SIGINT', () => {
    process.stderr.write(
      `\ninterrupted${f.out ? `; ${f.out} holds the last complete epoch` : ''}\n`,
    );
    process.exit(130);
  });
  const history: EpochStats[] = [];
  const writePlot = async () => {
    if (!f.plot || history.length === 0) return;
    const points = (k: 'loss' | 'validationLoss') => history.map((h) => [h.epoch, h[k]] as const);
    const svg = lineChart(
      [
        { name: 'train loss', points: points('loss') },
        { name: 'validation loss', points: points('validationLoss') },
      ],
      { title: 'Character LSTM', xLabel: 'epoch', yLabel: 'nats per character' },
    );
    await writeFile(userPath(f.plot), `${svg}\n`);
  };
  const { state } = await trainLoop(start, {
    model,
    opt,
    train: trainIds,
    validation,
    batchSize: f.batchSize,
    seqLen: f.seqLen,
    epochs: f.epochs,
    startEpoch,
    startStep,
    charsPerEpoch: perEpoch,
    onEpoch: async (s, stats, step) => {
      history.push(stats);
      if (f.out) {
        const saved = await saveCheckpoint(userPath(f.out), s, {
          ...config,
          chars: vocab.chars,
          epoch: stats.epoch,
          step,
          validationLoss: stats.validationLoss,
        })();
        if (E.isLeft(saved)) fail(saved.left);
      }
      await writePlot();
    },
  });
  const prompt = E.isRight(encodePrompt(vocab, 'The '))
    ? 'The '
    : vocab.decode(trainIds.subarray(0, 1));
  const text = sample(model, state.params, vocab, {
    prompt,
    length: 240,
    temperature: 0.7,
    key: sampleKey!,
  });
  console.log(
    formatReport({
      history,
      unigramPerplexity: unigram,
      batchSize: f.batchSize,
      seqLen: f.seqLen,
      ...(E.isRight(text) ? { sample: { prompt, text: text.right, temperature: 0.7 } } : {}),
    }),
  );
  if (f.out)
    console.error(
      `checkpoint: ${f.out} (sample with: pnpm lstm sample --checkpoint ${f.out} --prompt "The ")`,
    );
  if (f.plot) console.error(`curves: ${f.plot}`);
}

async function sampleCommand(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage: 'pnpm lstm sample --checkpoint FILE [--prompt TEXT] [--length N] [--temperature T]',
      summary:
        'Generate text with a trained character LSTM: the prompt is fed through the network,\nthen each character is drawn from softmax(logits / temperature).',
      flags: sampleFlags,
    },
    argv,
  );
  if (!args) return;
  const f = args.flags;
  if (!f.checkpoint) return fail(appError('sample needs --checkpoint FILE'));
  const ckpt = await loadCheckpoint(userPath(f.checkpoint))();
  if (E.isLeft(ckpt)) return fail(ckpt.left);
  const { model, vocab } = ckpt.right;
  const restored = ckpt.right.restore({ params: model.init(jt.random.key(0)) });
  if (E.isLeft(restored)) return fail(restored.left);
  const prompt = encodePrompt(vocab, f.prompt);
  if (E.isLeft(prompt)) return fail(prompt.left);
  process.stdout.write(f.prompt);
  const text = sample(model, restored.right.params, vocab, {
    prompt: f.prompt,
    length: f.length,
    temperature: f.temperature,
    key: jt.random.key(f.seed),
    onChar: (c) => process.stdout.write(c),
  });
  if (E.isLeft(text)) return fail(text.left);
  process.stdout.write('\n');
}

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === 'sample') return sampleCommand(rest);
  if (first === 'train') return train(rest);
  return train(argv);
}

main(process.argv.slice(2)).catch((e: unknown) =>
  fail({ message: e instanceof Error ? e.message : String(e) }),
);
