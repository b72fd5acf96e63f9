import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '@jute/app-kit/mnist-model';
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

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  // INIT_CWD (set by pnpm) would re-root relative paths; every path here is absolute anyway.
  const { INIT_CWD: _, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@jute/source', '--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: appDir, env, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

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

/** `predicted digit: 7 (true label 7)` then ten `  d:  12.34% ███` lines. */
function parsePrediction(stdout: string) {
  const lines = stdout.trim().split('\n');
  const head = /^predicted digit: (\d)(?: \(true label (\d)\))?$/.exec(lines[0]!);
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
let trained: Run;

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
    expect(byIndex.head![2]).toMatch(/^\d$/);
    expect(byIndex.probs.map((p) => p.digit)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const total = byIndex.probs.reduce((s, p) => s + p.p, 0);
    expect(total).toBeCloseTo(1, 2);
    const best = byIndex.probs.reduce((a, b) => (b.p > a.p ? b : a));
    expect(String(best.digit)).toBe(byIndex.head![1]);
  });

  it('a PNG of the same digit, larger and dark on light, gets the same class', async () => {
    const png = join(dir, 'digit.png');
    await writeFile(png, await testImagePng(3));
    const r = await cli('predict', '--checkpoint', ckpt, '--model', 'mlp', png);
    expect(r.code).toBe(0);
    const got = parsePrediction(r.stdout);
    expect(got.head![2]).toBeUndefined();
    expect(got.head![1]).toBe(byIndex.head![1]);
  });
});

describe('errors', () => {
  const files = {
    garbage: () => join(dir, 'garbage.safetensors'),
    wrongShape: () => join(dir, 'wrong-shape.safetensors'),
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
