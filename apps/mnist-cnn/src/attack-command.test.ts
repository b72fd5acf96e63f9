import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliRun, runCli } from '@jute/app-kit/test-utils';
import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEpsList } from './attack-command';

// The robustness features end to end: a tiny MLP trained with augmentation, fast
// adversarial training and accumulation, then `attack` on a few test images.

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const cli = (...args: string[]) => runCli(appDir, args);

/** Rows of the `attack` table: eps, clean %, adversarial %. */
const table = (stdout: string) =>
  stdout
    .split('\n')
    .map((l) => /^\s*([\d.]+)\s+([\d.]+)%\s+([\d.]+)%$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ eps: Number(m[1]), clean: Number(m[2]), adversarial: Number(m[3]) }));

let dir: string;
let checkpoint: string;
let trained: CliRun;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-attack-test-'));
  checkpoint = join(dir, 'mlp.safetensors');
  trained = await cli(
    '--model',
    'mlp',
    '--limit',
    '256',
    '--epochs',
    '1',
    '--batch-size',
    '32',
    '--augment',
    '--adversarial',
    'fgsm',
    '--eps',
    '0.1',
    '--accumulate',
    '2',
    '--out',
    checkpoint,
  );
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('robust training flags', () => {
  it('train with --augment --adversarial --accumulate and report the shifted test set', () => {
    expect(trained.stderr).toContain(
      'with augmentation, adversarial training (FGSM, random start, ε 0.1), 2 micro-batches per update',
    );
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/test accuracy with every digit moved 3 px: \d+\.\d\d%/);
  });
});

describe('pnpm mnist attack', () => {
  it('reports clean and adversarial accuracy per ε and writes an SVG grid', async () => {
    const grid = join(dir, 'grid.svg');
    const r = await cli(
      'attack',
      '--checkpoint',
      checkpoint,
      '--model',
      'mlp',
      '--eps',
      '0,0.1,0.3',
      '--steps',
      '3',
      '--limit',
      '60',
      '--grid',
      grid,
      '--examples',
      '4',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PGD-3 (linf) on 60 held-out images');
    const rows = table(r.stdout);
    expect(rows.map((x) => x.eps)).toEqual([0, 0.1, 0.3]);
    // ε = 0 changes nothing; a larger ball can only do more harm (the same random
    // start scaled, more room): accuracy falls with ε.
    expect(rows[0]!.adversarial).toBe(rows[0]!.clean);
    expect(rows[2]!.adversarial).toBeLessThan(rows[0]!.clean);
    expect(rows[2]!.adversarial).toBeLessThanOrEqual(rows[1]!.adversarial);
    const svg = await readFile(grid, 'utf8');
    expect(svg.match(/<image /g)?.length).toBe(12);
    expect(svg).toContain('perturbation (±0.3)');
    expect(svg.match(/label \d · predicted \d/g)?.length).toBe(4);
  }, 120_000);

  it('writes a PNG grid: three 112-pixel columns, one row per example', async () => {
    const grid = join(dir, 'grid.png');
    const r = await cli(
      'attack',
      '--checkpoint',
      checkpoint,
      '--model',
      'mlp',
      '--attack',
      'fgsm',
      '--limit',
      '10',
      '--grid',
      grid,
      '--examples',
      '2',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FGSM (linf) on 10 held-out images');
    const png = PNG.sync.read(await readFile(grid));
    expect([png.width, png.height]).toEqual([3 * 112 + 2 * 8, 2 * 112 + 8]);
  }, 120_000);

  it('fails with one line on a bad --eps or a missing checkpoint', async () => {
    const bad = await cli('attack', '--checkpoint', checkpoint, '--eps', '0.1,x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--eps expects numbers >= 0 separated by commas, got '0.1,x'");
    const missing = await cli('attack', '--eps', '0.1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('attack needs --checkpoint FILE');
  }, 60_000);
});

describe('parseEpsList', () => {
  it('reads a comma-separated list of radii', () => {
    expect(parseEpsList('0.05, 0.1,0.2')).toEqual(E.right([0.05, 0.1, 0.2]));
    expect(E.isLeft(parseEpsList('0.1,,0.2'))).toBe(true);
    expect(E.isLeft(parseEpsList('-1'))).toBe(true);
  });
});
