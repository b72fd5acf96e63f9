import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliRun, runCli } from '@jute/app-kit/test-utils';
import { parseJournal } from '@jute/tune';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainCommand } from './tune';

// `pnpm mnist tune` end to end with a tiny budget: a few trials on a few hundred images.

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const cli = (...args: string[]) => runCli(appDir, args);

const tiny = ['--epochs', '2', '--limit', '256', '--validation', '200'];
let dir: string;
let journal: string;
let first: CliRun;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-tune-test-'));
  journal = join(dir, 'study.jsonl');
  first = await cli(
    'tune',
    '--trials',
    '3',
    ...tiny,
    '--journal',
    journal,
    '--plot',
    join(dir, 'history.svg'),
  );
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('mnist-cnn tune', () => {
  it('runs the trials, prints the leaderboard, the best configuration and its command', () => {
    expect(first.stderr).not.toMatch(/error:/);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/each on 256 training images \(a subsample\)/);
    expect(first.stderr.match(/^trial \d: lr /gm)).toHaveLength(3);
    const lines = first.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^rank\s+trial\s+val loss\s+state\s+steps\s+lr\s+batchSize\s+dropout\s+width$/,
    );
    expect(first.stdout).toMatch(/^3 trials: \d complete, \d pruned, 0 failed, 0 running$/m);
    expect(first.stdout).toMatch(/^best: trial \d, validation loss \d+\.\d{4}: lr /m);
    expect(first.stdout).toMatch(
      /^ {2}pnpm mnist --model mlp --lr [\d.e-]+ --batch-size (32|64|128) --dropout [\d.]+ --width \d+ --epochs 2$/m,
    );
  });

  it('journals every trial and writes the history chart', async () => {
    const parsed = parseJournal(await readFile(journal, 'utf8'), journal);
    if (E.isLeft(parsed)) throw new Error(parsed.left._tag);
    expect(parsed.right.trials.map((t) => t.state).filter((s) => s === 'running')).toEqual([]);
    expect(parsed.right.trials).toHaveLength(3);
    for (const t of parsed.right.trials) {
      const p = t.params as { lr: number; batchSize: number; dropout: number; width: number };
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1e-2);
      expect([32, 64, 128]).toContain(p.batchSize);
      expect(Number.isInteger(p.width) && p.width >= 32 && p.width <= 512).toBe(true);
      // One report per epoch trained: 1 when ASHA stopped it at rung 1, else 2.
      expect(t.reports.map(([s]) => s)).toEqual(t.state === 'pruned' ? [1] : [1, 2]);
    }
    const svg = await readFile(join(dir, 'history.svg'), 'utf8');
    expect(svg).toContain('<title>pnpm mnist tune (mlp)</title>');
  });

  it('resumes from the journal: only the new trial runs', async () => {
    const r = await cli('tune', '--trials', '4', ...tiny, '--journal', journal);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^resuming .*study\.jsonl: 3 trials finished$/m);
    expect(r.stderr.match(/^trial \d: /gm)).toEqual(['trial 3: ']);
    expect(r.stdout).toMatch(/^4 trials: /m);
  }, 60_000);

  it('the printed command trains (the train command takes --dropout and --width)', async () => {
    const command = /^ {2}pnpm mnist (.*) --epochs 2$/m.exec(first.stdout)![1]!.split(' ');
    const r = await cli(...command, '--epochs', '1', '--limit', '128');
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^test accuracy /m);
  }, 60_000);

  it('rejects a journal of another search space, and bad flags, with one error line', async () => {
    const other = join(dir, 'other.jsonl');
    await writeFile(other, '{"type":"study","version":1,"direction":"minimize","space":[]}\n');
    const [bad, zero] = await Promise.all([
      cli('tune', '--journal', other),
      cli('tune', '--trials', '0'),
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(
      /^error: StudyMismatch: .*other\.jsonl: the journal holds another study: its search space/,
    );
    expect(zero.stderr).toMatch(/^error: --trials must be at least 1/);
  }, 60_000);
});

describe('trainCommand', () => {
  it('rounds to three significant digits and names every tuned flag', () => {
    expect(
      trainCommand('cnn', { lr: 0.00123456, batchSize: 64, dropout: 0.25049, width: 97 }, 3),
    ).toBe(
      'pnpm mnist --model cnn --lr 0.00123 --batch-size 64 --dropout 0.25 --width 97 --epochs 3',
    );
  });
});
