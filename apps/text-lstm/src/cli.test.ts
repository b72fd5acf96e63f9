import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@jute/app-kit/test-utils';
import * as data from '@jute/data';
import * as jt from '@jute/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCheckpoint } from './checkpoint';
import { charLstm } from './model';
import { makeOptimizer } from './train';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = await mkdtemp(join(tmpdir(), 'text-lstm-cli-'));
const corpus = join(dir, 'corpus.txt');
const ckpt = join(dir, 'tiny.safetensors');
const TEXT = 'a cat sat on a mat; a rat sat on a hat. '.repeat(20);

const cli = (...args: string[]) => runCli(root, args);

beforeAll(async () => {
  await writeFile(corpus, TEXT);
  const vocab = data.charVocab(TEXT);
  const config = { vocabSize: vocab.size, embed: 4, hidden: 8 };
  const params = charLstm(config).init(jt.random.key(0));
  const saved = await saveCheckpoint(
    ckpt,
    { params, optState: makeOptimizer(0.01).init(params) },
    { ...config, chars: vocab.chars, epoch: 1, step: 1, validationLoss: 2 },
  )();
  if (saved._tag === 'Left') throw new Error(saved.left.message);
  await writeFile(join(dir, 'corrupt.safetensors'), 'not a safetensors file at all');
  // What a diverged run used to save: the right architecture, every weight NaN.
  const nanSaved = await saveCheckpoint(
    join(dir, 'nan.safetensors'),
    { params: jt.tree.map((x: jt.Array) => jt.mul(x, Number.NaN), params), optState: [] },
    { ...config, chars: vocab.chars, epoch: 1, step: 1, validationLoss: Number.NaN },
  )();
  if (nanSaved._tag === 'Left') throw new Error(nanSaved.left.message);
  await data.writeSafetensors(
    join(dir, 'mnist.safetensors'),
    { w: jt.zeros([2]) },
    {
      metadata: { app: 'jute-mnist', model: 'cnn' },
    },
  )();
  // Right metadata, wrong tensors: the checkpoint claims hidden 8 but holds hidden 4.
  const other = charLstm({ vocabSize: vocab.size, embed: 4, hidden: 4 }).init(jt.random.key(0));
  await saveCheckpoint(
    join(dir, 'mismatch.safetensors'),
    { params: other, optState: [] },
    {
      vocabSize: vocab.size,
      embed: 4,
      hidden: 8,
      chars: vocab.chars,
      epoch: 1,
      step: 1,
      validationLoss: 2,
    },
  )();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.concurrent('bad input: one-line error, non-zero exit', () => {
  it.each([
    [['--nope'], 'unknown flag --nope'],
    [['--epochs', 'x'], '--epochs expects a number'],
    [['--lr', '-1'], '--lr must be at least 0'],
    [['train', 'extra'], "unexpected argument 'extra'"],
    [['--corpus', '/nonexistent/moby.txt'], '/nonexistent/moby.txt'],
    [['sample'], 'sample needs --checkpoint FILE'],
    [['sample', '--checkpoint', '/nonexistent.safetensors'], '/nonexistent.safetensors'],
    [['sample', '--checkpoint', '@corrupt'], 'corrupt.safetensors'],
    [['sample', '--checkpoint', '@mnist'], 'not a text-lstm checkpoint (written by jute-mnist)'],
    [['sample', '--checkpoint', '@mismatch'], 'tensors do not match the architecture'],
    [['sample', '--checkpoint', '@tiny', '--prompt', ''], '--prompt is empty'],
    [['sample', '--checkpoint', '@tiny', '--prompt', 'Hi'], 'outside the vocabulary: "H", "i"'],
    [
      ['sample', '--checkpoint', '@tiny', '--temperature', '-1'],
      '--temperature must be at least 0',
    ],
    // Used to die after a minute with a V8 heap-limit abort.
    [['sample', '--checkpoint', '@tiny', '--length', '1e8'], '--length must be at most 100000'],
    [['sample', '--checkpoint', '@nan'], 'nan.safetensors: the checkpoint holds non-finite values'],
  ])('%j', async (args, message) => {
    const argv = args.map((a) => (a.startsWith('@') ? join(dir, `${a.slice(1)}.safetensors`) : a));
    const r = await cli(...argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: /);
  });
});

describe('train, then sample from the checkpoint', () => {
  it('trains on a corpus file and samples the requested length from vocabulary characters', async () => {
    const out = join(dir, 'cli.safetensors');
    const trained = await cli(
      ...['--corpus', corpus, '--epochs', '1', '--hidden', '8', '--embed', '4'],
      ...['--batch-size', '2', '--seq-len', '8', '--out', out],
    );
    expect(trained.stderr).not.toContain('error');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/validation perplexity [\d.]+/);
    expect(trained.stdout).toMatch(/unigram baseline +[\d.]+/);
    const sampled = await cli('sample', '--checkpoint', out, '--prompt', 'a c', '--length', '30');
    expect(sampled.code).toBe(0);
    const text = sampled.stdout.replace(/\n$/, '');
    expect(text.startsWith('a c')).toBe(true);
    expect([...text]).toHaveLength(33);
    expect([...text].every((c) => TEXT.includes(c))).toBe(true);
  });
});

describe('a diverging run', () => {
  it('stops at the first non-finite loss or perplexity, exits 1 with one error line, saves nothing', async () => {
    // Adam moves every weight by about 1e30 per step: the validation loss comes out near
    // 1e30 nats/char, whose perplexity overflows (it used to print "perplexity NaN/Infinity", exit 0).
    const out = join(dir, 'diverged.safetensors');
    const r = await cli(
      ...['--corpus', corpus, '--epochs', '1', '--hidden', '8', '--embed', '4'],
      ...['--batch-size', '2', '--seq-len', '8', '--lr', '1e30', '--out', out],
    );
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: training diverged: (loss|validation perplexity) (NaN|-?Infinity) at epoch 1\b.*; stopped without saving it/,
    );
    expect(r.stdout).toBe('');
    await expect(stat(out)).rejects.toThrow();
  });
});
