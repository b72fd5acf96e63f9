import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@jute/app-kit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = await mkdtemp(join(tmpdir(), 'text-transformer-cli-'));
const corpus = join(dir, 'corpus.txt');
const ckpt = join(dir, 'tiny.safetensors');
const TEXT = 'a cat sat on a mat; a rat sat on a hat. '.repeat(20);
const tiny = ['--context', '8', '--dim', '8', '--heads', '2', '--layers', '1', '--batch-size', '4'];

const cli = (...args: string[]) => runCli(root, args);

beforeAll(() => writeFile(corpus, TEXT));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('pnpm gpt', () => {
  it('trains, resumes and samples from a checkpoint', async () => {
    const common = ['--corpus', corpus, '--limit-chars', '160', ...tiny, '--out', ckpt];
    const first = await cli(...common, '--epochs', '1');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/validation perplexity \d+\.\d\d/);
    expect(first.stdout).toMatch(/character LSTM\s+7\.53/);
    const resumed = await cli(...common, '--epochs', '2', '--resume', ckpt, '--no-jit');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resumed from');
    expect(first.stderr).toContain('; jitted;');
    expect(resumed.stderr).toContain('; eager;');
    expect(resumed.stdout).toContain('trained 1 epoch');
    const s = await cli(
      'sample',
      '--checkpoint',
      ckpt,
      '--prompt',
      'a c',
      '--length',
      '12',
      '--top-k',
      '3',
    );
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout.trimEnd()).toHaveLength(15);
    expect(s.stderr).toMatch(/tokens\/s \(with the key\/value cache, jitted\)/);
  }, 120_000);

  it('reports bad input as one error line', async () => {
    const cases: [string[], RegExp][] = [
      [['--mlp', 'relu'], /--mlp must be 'gelu' or 'swiglu'/],
      [['--dim', '10', '--heads', '4'], /--dim 10 must split into --heads 4/],
      [['--corpus', join(dir, 'missing.txt')], /missing\.txt/],
      [['--corpus', corpus, ...tiny, '--resume', ckpt, '--dim', '16'], /has --dim 8, not --dim 16/],
      [['sample'], /sample needs --checkpoint/],
      [['sample', '--checkpoint', corpus], /corpus\.txt/],
      [['sample', '--checkpoint', ckpt, '--prompt', 'Zz'], /outside the vocabulary: "Z", "z"/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^error: /m);
      expect(r.stderr).toMatch(message);
    }
  }, 120_000);
});
