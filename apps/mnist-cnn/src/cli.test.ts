import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '@jute/app-kit/mnist-model';
import { type CliRun, runCli } from '@jute/app-kit/test-utils';
import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCheckpoint } from './checkpoint';

// The CLI end to end, as a user runs it: one small MLP training run (with --out and
// --plot) that the predict, resume and error cases reuse.

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const cli = (...args: string[]) => runCli(appDir, args);

/** Test image `index` of the default split, 2× larger, dark ink on white, as a PNG. */
async function testImagePng(index: number): Promise<Buffer> {
  const mnist = await datasets.loadMnist({ seed: 0 })();
  if (E.isLeft(mnist)) throw new Error(data.formatDataError(mnist.left));
  const px = jt.slice(mnist.right.test.images, [index], [index + 1]).data();
  const png = new PNG({ width: 56, height: 56 });
  for (let y = 0; y < 56; y++) {
    for (let x = 0; x < 56; x++) {
      const v = Math.round(255 * (1 - px[(y >> 1) * 28 + (x >> 1)]!));
      png.data.set([v, v, v, 255], 4 * (y * 56 + x));
    }
  }
  return PNG.sync.write(png);
}

/** `predicted digit: 7 (confidence 98.10%, true label 7)` then ten `  d:  12.34% ███` lines. */
function parsePrediction(stdout: string) {
  const lines = stdout.trim().split('\n');
  const head = /^predicted digit: (\d) \(confidence ([\d.]+)%(?:, true label (\d))?\)$/.exec(
    lines[0]!,
  );
  const probs = lines.slice(1).map((l) => {
    const m = /^\s+(\d): +([\d.]+)%/.exec(l);
    if (!m) throw new Error(`unexpected line ${JSON.stringify(l)}`);
    return { digit: Number(m[1]), p: Number(m[2]) / 100 };
  });
  return { head, probs };
}

let dir: string;
let ckpt: string;
let plot: string;
let trained: CliRun;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-cli-test-'));
  ckpt = join(dir, 'mlp.safetensors');
  plot = join(dir, 'curves.svg');
  trained = await cli(
    ...['--model', 'mlp', '--limit', '1024', '--epochs', '2', '--batch-size', '64'],
    ...['--out', ckpt, '--plot', plot],
  );
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('mnist-cnn train', () => {
  it('trains, reports on the test split and writes a checkpoint', async () => {
    expect(trained.stderr).not.toMatch(/error:/);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/^test accuracy \d+\.\d\d% on 2000 images · macro F1 /);
    expect(trained.stdout).toMatch(/confusion matrix \(rows: true digit, columns: predicted\)/);
    const saved = await data.readSafetensors(ckpt)();
    expect(E.isRight(saved) && saved.right.metadata).toMatchObject({
      model: 'mlp',
      epoch: '2',
      step: '32',
    });
  });

  it('--plot writes one SVG with the loss chart and the accuracy chart', async () => {
    const svg = await readFile(plot, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // The outer document plus two nested charts.
    expect(svg.match(/<svg /g)).toHaveLength(3);
    expect(svg).toContain('Training loss');
    expect(svg).toContain('Accuracy');
    expect(svg).toContain('test accuracy');
  });

  it('--resume continues after the saved epoch', async () => {
    const next = join(dir, 'resumed.safetensors');
    const r = await cli(
      ...['--model', 'mlp', '--limit', '1024', '--epochs', '3', '--batch-size', '64'],
      ...['--resume', ckpt, '--out', next],
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`resumed from ${ckpt} after epoch 2`);
    expect(r.stderr).toMatch(/epoch 3\/3/);
    expect(r.stderr).not.toMatch(/epoch [12]\/3/);
    const saved = await data.readSafetensors(next)();
    expect(E.isRight(saved) && saved.right.metadata).toMatchObject({ epoch: '3', step: '48' });
  });
});

describe('mnist-cnn predict', () => {
  let byIndex: ReturnType<typeof parsePrediction>;

  it('--index N prints a digit and ten probabilities that sum to 1', async () => {
    const r = await cli('predict', '--checkpoint', ckpt, '--model', 'mlp', '--index', '3');
    expect(r.code).toBe(0);
    byIndex = parsePrediction(r.stdout);
    expect(byIndex.head).not.toBeNull();
    expect(byIndex.head![3]).toMatch(/^\d$/);
    expect(byIndex.probs.map((p) => p.digit)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const total = byIndex.probs.reduce((s, p) => s + p.p, 0);
    expect(total).toBeCloseTo(1, 2);
    const best = byIndex.probs.reduce((a, b) => (b.p > a.p ? b : a));
    expect(String(best.digit)).toBe(byIndex.head![1]);
    // The confidence printed is the winning class's probability.
    expect(Number(byIndex.head![2]) / 100).toBeCloseTo(best.p, 3);
  });

  it('a PNG of the same digit, larger and dark on light, gets the same class', async () => {
    const png = join(dir, 'digit.png');
    await writeFile(png, await testImagePng(3));
    const r = await cli('predict', '--checkpoint', ckpt, '--model', 'mlp', png);
    expect(r.code).toBe(0);
    const got = parsePrediction(r.stdout);
    expect(got.head![3]).toBeUndefined();
    expect(got.head![1]).toBe(byIndex.head![1]);
  });
});

describe('errors', () => {
  const files = {
    garbage: () => join(dir, 'garbage.safetensors'),
    wrongShape: () => join(dir, 'wrong-shape.safetensors'),
    nan: () => join(dir, 'nan.safetensors'),
    blank: () => join(dir, 'blank.png'),
    huge: () => join(dir, 'huge.png'),
  };
  beforeAll(async () => {
    await writeFile(files.garbage(), Buffer.from('\x10\x00\x00\x00\x00\x00\x00\x00{"a": garbage}'));
    // A CNN checkpoint whose first kernel is 5×5 instead of 3×3.
    const { params, state } = buildModel('cnn').init(jt.random.key(0), [1, 28, 28, 1]);
    const p = params as { conv1: { kernel: jt.Array } };
    const bad = { ...p, conv1: { ...p.conv1, kernel: jt.zeros([5, 5, 1, 32]) } };
    const saved = await saveCheckpoint(
      files.wrongShape(),
      { params: bad, state, optState: {} },
      { model: 'cnn', epoch: 1, step: 1 },
    )();
    if (E.isLeft(saved)) throw new Error(saved.left.message);
    // What a diverged run used to save: an MLP whose weights are NaN (predict said "-1").
    const mlp = buildModel('mlp').init(jt.random.key(0), [1, 28, 28, 1]);
    const nanParams = jt.tree.map((x: jt.Array) => jt.mul(x, Number.NaN), mlp.params);
    const nanSaved = await saveCheckpoint(
      files.nan(),
      { params: nanParams, state: mlp.state, optState: {} },
      { model: 'mlp', epoch: 1, step: 1 },
    )();
    if (E.isLeft(nanSaved)) throw new Error(nanSaved.left.message);
    const white = new PNG({ width: 28, height: 28 });
    white.data.fill(255);
    await writeFile(files.blank(), PNG.sync.write(white));
    // Signature and an IHDR claiming 30000×30000: 33 bytes that used to cost 10 GB.
    const huge = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(huge);
    huge.writeUInt32BE(13, 8);
    huge.write('IHDR', 12, 'latin1');
    huge.writeUInt32BE(30000, 16);
    huge.writeUInt32BE(30000, 20);
    huge.set([8, 6, 0, 0, 0], 24);
    await writeFile(files.huge(), huge);
  });

  // Each case: the arguments, and what the one error line must say.
  const cases: [string, () => string[], RegExp][] = [
    ['an unknown flag', () => ['--bogus'], /unknown flag --bogus/],
    ['a bad number', () => ['--epochs', 'many'], /--epochs expects a number/],
    ['a fractional count', () => ['--batch-size', '6.5'], /--batch-size expects an integer/],
    ['a stray argument', () => ['train', 'extra'], /unexpected argument 'extra'/],
    [
      'a missing checkpoint',
      () => ['predict', '--checkpoint', join(dir, 'nope.safetensors'), '--index', '0'],
      /nope\.safetensors/,
    ],
    [
      'a corrupt checkpoint',
      () => ['predict', '--checkpoint', files.garbage(), '--index', '0'],
      /garbage\.safetensors/,
    ],
    [
      'an MLP checkpoint loaded as a CNN',
      () => ['predict', '--checkpoint', ckpt, '--model', 'cnn', '--index', '0'],
      /checkpoint is for --model mlp, not cnn/,
    ],
    [
      'a CNN checkpoint with a wrong shape',
      () => ['predict', '--checkpoint', files.wrongShape(), '--index', '0'],
      /not a checkpoint of this model.*conv1\.kernel/,
    ],
    [
      'resuming another architecture',
      () => ['--model', 'cnn', '--limit', '64', '--resume', ckpt],
      /checkpoint is for --model mlp, not cnn/,
    ],
    ['a missing --data dir', () => ['--data', join(dir, 'no-such-dir')], /no-such-dir/],
    ['predict without a source', () => ['predict', '--checkpoint', ckpt], /exactly one of/],
    [
      'a checkpoint holding NaN',
      () => ['predict', '--checkpoint', files.nan(), '--model', 'mlp', '--index', '0'],
      /nan\.safetensors: the checkpoint holds non-finite values: '.*' holds \d+ non-finite values/,
    ],
    [
      'a blank PNG',
      () => ['predict', '--checkpoint', ckpt, '--model', 'mlp', files.blank()],
      /blank\.png: the image has no ink/,
    ],
    [
      'a PNG claiming 30000×30000 pixels',
      () => ['predict', '--checkpoint', ckpt, '--model', 'mlp', files.huge()],
      /huge\.png: the image is 30000×30000 pixels; the largest accepted is 4096×4096/,
    ],
    [
      'a missing PNG',
      () => ['predict', '--checkpoint', ckpt, '--model', 'mlp', join(dir, 'absent.png')],
      /absent\.png: no such file$/,
    ],
  ];

  it.concurrent.each(cases)('%s exits non-zero with one error line', async (_, args, message) => {
    const r = await cli(...args());
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('a diverging run', () => {
  it('stops at the first non-finite loss, exits non-zero with one error line, keeps the checkpoint', async () => {
    // Resume the good checkpoint into a copy with an absurd learning rate: Adam's first
    // update moves every weight by about 1e30, and float32 logits overflow at once.
    const out = join(dir, 'diverge.safetensors');
    await writeFile(out, await readFile(ckpt));
    const before = await readFile(out);
    const r = await cli(
      ...['--model', 'mlp', '--limit', '256', '--epochs', '3', '--batch-size', '64'],
      ...['--lr', '1e30', '--resume', out, '--out', out],
    );
    expect(r.code).not.toBe(0);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: training diverged: (loss (NaN|-?Infinity) at epoch 3, step \d+|.* in the parameters after epoch 3); stopped without saving it/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // No report for a model that diverged, and the last good checkpoint is intact.
    expect(r.stdout).toBe('');
    expect((await readFile(out)).equals(before)).toBe(true);
  }, 120_000);
});
