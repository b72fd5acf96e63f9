#!/usr/bin/env node
import { exitOnInterrupt, fail, lineChart, parseCommand, runCommands } from '@jute/app-kit';
import * as textCli from '@jute/app-kit/text-cli';
import { appError, unigramPerplexity } from '@jute/app-kit/text-corpus';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { checkpoints } from './checkpoint';
import { charGpt, type GptConfig } from './model';
import { reportOf } from './report';
import { sample } from './sample';
import { type EpochStats, makeOptimizer, makeTrainStep, trainLoop } from './train';

const trainFlags = {
  epochs: {
    type: 'number',
    help: 'Epochs (of --limit-chars each)',
    default: 2,
    integer: true,
    min: 1,
  },
  limitChars: {
    type: 'number',
    help: 'Training characters per epoch (shuffled windows; all of the text at most)',
    default: 400_000,
    integer: true,
    min: 2,
  },
  batchSize: { type: 'number', help: 'Windows per step', default: 32, integer: true, min: 1 },
  accumulate: {
    type: 'number',
    help: 'Steps whose gradients are averaged per optimizer update',
    default: 1,
    integer: true,
    min: 1,
  },
  context: {
    type: 'number',
    help: 'Characters per window (the attention span)',
    default: 64,
    integer: true,
    min: 2,
  },
  dim: { type: 'number', help: 'Width of the residual stream', default: 64, integer: true, min: 1 },
  layers: { type: 'number', help: 'Transformer blocks', default: 2, integer: true, min: 1 },
  heads: {
    type: 'number',
    help: 'Attention heads (must divide --dim)',
    default: 2,
    integer: true,
    min: 1,
  },
  mlp: { type: 'string', help: "Block MLP: 'gelu' or 'swiglu'", default: 'swiglu' },
  positions: {
    type: 'string',
    help: "'rope' (rotary) or 'learned' (a position table)",
    default: 'rope',
  },
  dropout: { type: 'number', help: 'Residual dropout rate', default: 0, min: 0 },
  lr: { type: 'number', help: 'Peak AdamW learning rate', default: 0.006, min: 0 },
  warmup: {
    type: 'number',
    help: 'Warm-up updates before the cosine decay',
    default: 30,
    integer: true,
    min: 0,
  },
  weightDecay: {
    type: 'number',
    help: 'AdamW decoupled weight decay (matrices only)',
    default: 0.1,
    min: 0,
  },
  clipNorm: { type: 'number', help: 'Clip gradients to this global norm', default: 1, min: 0 },
  seed: {
    type: 'number',
    help: 'Seed for initialisation, shuffling and the sample',
    default: 0,
    integer: true,
  },
  noJit: {
    type: 'boolean',
    help: 'Run the training step and validation eagerly instead of jitted',
  },
  ...textCli.runFileFlags,
  plot: { type: 'string', help: 'Write an SVG of validation loss against wall time' },
} as const;

const sampleFlags = {
  ...textCli.sampleFromFlags,
  length: { type: 'number', help: 'Characters to generate', default: 300, integer: true, min: 0 },
  temperature: textCli.temperatureFlag,
  topK: {
    type: 'number',
    help: 'Draw among the K likeliest characters (0: all)',
    default: 0,
    integer: true,
    min: 0,
  },
  noCache: {
    type: 'boolean',
    help: 'Decode without the key/value cache (re-read the whole window for every character)',
  },
  seed: { type: 'number', help: 'Seed of the sampler', default: 0, integer: true },
  noJit: { type: 'boolean', help: 'Run the cached decoding step eagerly instead of jitted' },
} as const;

async function train(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage: 'pnpm gpt [train] [options]',
      summary:
        'Train a character-level GPT (embedding → pre-norm transformer blocks → tied logits) with\nAdamW on a warm-up + cosine schedule; report validation perplexity against the unigram\nbaseline and the LSTM. Sample from the checkpoint with `pnpm gpt sample --help`.',
      flags: trainFlags,
    },
    argv,
  );
  if (!args) return;
  const f = args.flags;
  if (f.mlp !== 'gelu' && f.mlp !== 'swiglu')
    return fail(appError(`--mlp must be 'gelu' or 'swiglu', got '${f.mlp}'`));
  if (f.positions !== 'rope' && f.positions !== 'learned')
    return fail(appError(`--positions must be 'rope' or 'learned', got '${f.positions}'`));
  if (f.dim % f.heads !== 0 || (f.positions === 'rope' && (f.dim / f.heads) % 2 !== 0))
    return fail(
      appError(
        `--dim ${f.dim} must split into --heads ${f.heads} equal heads${f.positions === 'rope' ? ' of even size (RoPE)' : ''}`,
      ),
    );
  if (f.dropout >= 1) return fail(appError(`--dropout must be below 1, got ${f.dropout}`));
  const corpus = await textCli.loadTrainingCorpus(f.corpus, f.context + 1)();
  if (E.isLeft(corpus)) return fail(corpus.left);
  const { vocab, train: trainIds, validation } = corpus.right;
  const perEpoch = Math.min(f.limitChars, trainIds.length);
  const stepsPerEpoch = Math.floor(perEpoch / (f.batchSize * f.context));
  if (stepsPerEpoch < 1 || Math.floor((trainIds.length - f.context) / f.context) < f.batchSize)
    return fail(
      appError(
        `${perEpoch} training characters per epoch cannot fill one batch of ${f.batchSize} windows of --context ${f.context}; lower --batch-size or --context`,
      ),
    );
  if (validation.length < f.context + 1)
    return fail(
      appError(
        `the validation text (${validation.length} chars) is shorter than --context ${f.context}`,
      ),
    );

  const [initKey, trainKey, sampleKey] = jt.random.split(jt.random.key(f.seed), 3);
  const totalUpdates = Math.max(1, Math.floor((f.epochs * stepsPerEpoch) / f.accumulate));
  const opt = makeOptimizer({
    lr: f.lr,
    warmupSteps: f.warmup,
    totalSteps: totalUpdates,
    weightDecay: f.weightDecay,
    clipNorm: f.clipNorm,
    accumulate: f.accumulate,
  });
  const wanted: GptConfig = {
    vocabSize: vocab.size,
    context: f.context,
    dim: f.dim,
    layers: f.layers,
    heads: f.heads,
    mlp: f.mlp,
    positions: f.positions,
  };
  const started = await textCli.startTraining({
    checkpoints,
    resume: f.resume,
    config: wanted,
    vocab,
    key: initKey!,
    initOptimizer: (params) => opt.init(params),
    fields: ['context', 'dim', 'layers', 'heads', 'mlp', 'positions'],
  })();
  if (E.isLeft(started)) return fail(started.left);
  const { config, state: start } = started.right;
  const model = charGpt(config, { dropout: f.dropout });
  const unigram = unigramPerplexity(trainIds, vocab.size);
  const paramCount = jt.tree.leaves(start.params).reduce((n, a) => n + (a as jt.Array).size, 0);
  console.error(
    `training on ${f.corpus ?? 'Moby-Dick'}: ${trainIds.length.toLocaleString('en-US')} training chars (${(stepsPerEpoch * f.batchSize * f.context).toLocaleString('en-US')} per epoch), ${validation.length.toLocaleString('en-US')} held out, vocabulary ${vocab.size}`,
  );
  console.error(
    `model: ${f.layers} blocks × dim ${f.dim}, ${f.heads} heads, ${f.mlp} MLP, ${f.positions} positions, context ${f.context}, tied embedding (${paramCount.toLocaleString('en-US')} parameters); batch ${f.batchSize}×${f.context}${f.accumulate > 1 ? ` × ${f.accumulate} accumulated` : ''}, AdamW lr ${f.lr} (warm-up ${f.warmup}, cosine over ${totalUpdates} updates), wd ${f.weightDecay}, clip ${f.clipNorm}, dropout ${f.dropout}, seed ${f.seed}; ${f.noJit ? 'eager' : 'jitted'}; unigram perplexity ${unigram.toFixed(2)}`,
  );
  exitOnInterrupt(f.out);
  const { history, onEpoch } = textCli.epochRecorder(checkpoints, f, {
    config,
    chars: vocab.chars,
    chart: (h: readonly EpochStats[]) =>
      lineChart(
        [{ name: 'validation loss', points: h.map((e) => [e.elapsed, e.validationLoss] as const) }],
        { title: 'Character GPT', xLabel: 'seconds of training', yLabel: 'nats per character' },
      ),
  });
  const { state } = await trainLoop(start, {
    model,
    step: makeTrainStep(model, opt, { dropout: f.dropout > 0, jit: !f.noJit }),
    train: trainIds,
    validation,
    batchSize: f.batchSize,
    epochs: f.epochs,
    startEpoch: started.right.epoch,
    startStep: started.right.step,
    stepsPerEpoch,
    key: trainKey!,
    jit: !f.noJit,
    onEpoch,
  });
  const gpt = charGpt(config);
  textCli.finishTraining(reportOf(history, unigram, f.batchSize, f.context), f, {
    command: 'pnpm gpt',
    plotNoun: 'curve',
    vocab,
    train: trainIds,
    draw: (prompt, o) => sample(gpt, state.params, vocab, { prompt, ...o, key: sampleKey! }),
  });
}

async function sampleCommand(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage:
        'pnpm gpt sample --checkpoint FILE [--prompt TEXT] [--length N] [--temperature T] [--top-k K]',
      summary:
        'Generate text with a trained character GPT: the prompt fills the key/value cache, then each\ncharacter is drawn from softmax(logits / temperature) over the top-k characters and fed back\none position at a time. Prints the decoding speed (--no-cache to compare) on stderr.',
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
  const started = performance.now();
  const text = sample(model, params, vocab, {
    prompt: f.prompt,
    length: f.length,
    temperature: f.temperature,
    ...(f.topK > 0 ? { topK: f.topK } : {}),
    cache: !f.noCache,
    jit: !f.noJit,
    key: jt.random.key(f.seed),
    onChar: (c) => process.stdout.write(c),
  });
  if (E.isLeft(text)) return fail(text.left);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write('\n');
  console.error(
    `${f.length} characters in ${seconds.toFixed(2)} s: ${(f.length / seconds).toFixed(1)} tokens/s (${f.noCache ? 'without' : 'with'} the key/value cache${f.noCache ? '' : f.noJit ? ', eager' : ', jitted'})`,
  );
}

runCommands({ train, sample: sampleCommand }, 'train');
