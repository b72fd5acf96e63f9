#!/usr/bin/env node
import { exitOnInterrupt, fail, lineChart, parseCommand, runCommands } from '@jute/app-kit';
import * as textCli from '@jute/app-kit/text-cli';
import { unigramPerplexity } from '@jute/app-kit/text-corpus';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { checkpoints } from './checkpoint';
import { appError } from './errors';
import { charLstm } from './model';
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
  ...textCli.runFileFlags,
  plot: { type: 'string', help: 'Write an SVG of the training and validation loss per epoch' },
} as const;

const sampleFlags = {
  ...textCli.sampleFromFlags,
  length: {
    type: 'number',
    help: 'Characters to generate',
    default: 300,
    integer: true,
    min: 0,
    max: MAX_SAMPLE_LENGTH,
  },
  temperature: textCli.temperatureFlag,
  seed: { type: 'number', help: 'Seed of the sampler', default: 0, integer: true },
} as const;

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
  const corpus = await textCli.loadTrainingCorpus(f.corpus, f.seqLen + 1)();
  if (E.isLeft(corpus)) return fail(corpus.left);
  const { vocab, train: trainIds, validation } = corpus.right;
  const perEpoch = Math.min(f.limitChars, trainIds.length);
  if (Math.floor((perEpoch - 1) / f.batchSize) < f.seqLen)
    return fail(
      appError(
        `${perEpoch} training characters per epoch cannot fill ${f.batchSize} streams of --seq-len ${f.seqLen}; lower --batch-size or --seq-len`,
      ),
    );

  const opt = makeOptimizer(f.lr, f.clipNorm);
  const [initKey, sampleKey] = jt.random.split(jt.random.key(f.seed), 2);
  const started = await textCli.startTraining({
    checkpoints,
    resume: f.resume,
    config: { vocabSize: vocab.size, embed: f.embed, hidden: f.hidden },
    vocab,
    key: initKey!,
    initOptimizer: (params) => opt.init(params),
    fields: ['hidden', 'embed'],
    mention: 'all',
  })();
  if (E.isLeft(started)) return fail(started.left);
  const { config } = started.right;
  const model = charLstm(config);
  const unigram = unigramPerplexity(trainIds, vocab.size);
  console.error(
    `training on ${f.corpus ?? 'Moby-Dick'}: ${trainIds.length.toLocaleString('en-US')} training chars (${perEpoch.toLocaleString('en-US')} per epoch), ${validation.length.toLocaleString('en-US')} held out, vocabulary ${vocab.size}`,
  );
  console.error(
    `model: embedding ${f.embed} → LSTM ${f.hidden} → dense ${vocab.size}; batch ${f.batchSize}×${f.seqLen}, Adam lr ${f.lr}, clip ${f.clipNorm}, seed ${f.seed}; unigram perplexity ${unigram.toFixed(2)}`,
  );
  exitOnInterrupt(f.out);
  const { history, onEpoch } = textCli.epochRecorder(checkpoints, f, {
    config,
    chars: vocab.chars,
    chart: (h: readonly EpochStats[]) => {
      const points = (k: 'loss' | 'validationLoss') => h.map((e) => [e.epoch, e[k]] as const);
      return lineChart(
        [
          { name: 'train loss', points: points('loss') },
          { name: 'validation loss', points: points('validationLoss') },
        ],
        { title: 'Character LSTM', xLabel: 'epoch', yLabel: 'nats per character' },
      );
    },
  });
  const { state } = await trainLoop(started.right.state, {
    model,
    opt,
    train: trainIds,
    validation,
    batchSize: f.batchSize,
    seqLen: f.seqLen,
    epochs: f.epochs,
    startEpoch: started.right.epoch,
    startStep: started.right.step,
    charsPerEpoch: perEpoch,
    onEpoch,
  });
  textCli.finishTraining(
    { history, unigramPerplexity: unigram, batchSize: f.batchSize, window: f.seqLen },
    f,
    {
      command: 'pnpm lstm',
      plotNoun: 'curves',
      vocab,
      train: trainIds,
      draw: (prompt, o) => sample(model, state.params, vocab, { prompt, ...o, key: sampleKey! }),
    },
  );
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
  const loaded = await textCli.loadSampler(checkpoints, f.checkpoint, f.prompt, jt.random.key(0))();
  if (E.isLeft(loaded)) return fail(loaded.left);
  const { model, params, vocab } = loaded.right;
  process.stdout.write(f.prompt);
  const text = sample(model, params, vocab, {
    prompt: f.prompt,
    length: f.length,
    temperature: f.temperature,
    key: jt.random.key(f.seed),
    onChar: (c) => process.stdout.write(c),
  });
  if (E.isLeft(text)) return fail(text.left);
  process.stdout.write('\n');
}

runCommands({ train, sample: sampleCommand }, 'train');
