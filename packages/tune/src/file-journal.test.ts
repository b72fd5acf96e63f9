import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashObjective, crashOptions } from './crash-child.fixture';
import { fileJournal } from './file-journal';
import { memoryJournal } from './journal';
import { parseJournal } from './journal-format';
import { createStudy } from './study';
import type { FrozenTrial } from './trial';

const here = dirname(fileURLToPath(import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tune-journal-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const outcome = (ts: readonly FrozenTrial[]) =>
  ts.map(({ number, state, params, value, reports }) => ({
    number,
    state,
    params,
    value,
    reports,
  }));

async function runTo(journal: ReturnType<typeof fileJournal>, trials: number) {
  const study = await createStudy({ ...crashOptions, journal })();
  if (E.isLeft(study)) throw new Error(JSON.stringify(study.left));
  const r = await study.right.optimize(crashObjective(0), { trials })();
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
}

let reference: readonly FrozenTrial[];
beforeAll(async () => {
  const study = await createStudy({ ...crashOptions, journal: memoryJournal() })();
  if (E.isLeft(study)) throw new Error('study');
  const r = await study.right.optimize(crashObjective(0), { trials: 10 })();
  if (E.isLeft(r)) throw new Error('optimize');
  reference = r.right;
});

describe('fileJournal', () => {
  it('reads a missing file as an empty journal and creates it on the first append (synced)', async () => {
    const path = join(dir, 'fresh.jsonl');
    const trials = await runTo(fileJournal(path, { sync: true }), 3);
    const text = await readFile(path, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^\{"type":"study","version":1,"direction":"minimize"/);
    const replayed = parseJournal(text, path);
    expect(E.isRight(replayed) && replayed.right.trials).toEqual(trials);
  });

  it('cuts a torn last line before appending, and resumes to the uninterrupted study', async () => {
    const path = join(dir, 'torn.jsonl');
    await runTo(fileJournal(path), 4);
    await appendFile(path, '{"type":"start","trial":4,"par'); // a write cut by kill -9
    const trials = await runTo(fileJournal(path), 10);
    expect(outcome(trials)).toEqual(outcome(reference));
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('"par{');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('is a ReadFailed error when the path cannot be read', async () => {
    const r = await fileJournal(dir).open()(); // a directory
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'ReadFailed', path: dir });
  });

  it('a study killed with SIGKILL resumes where it stopped, rerunning no finished trial', async () => {
    const path = join(dir, 'killed.jsonl');
    const child = spawn(
      process.execPath,
      ['--conditions=@jute/source', '--import', 'tsx', join(here, 'crash-child.fixture.ts'), path],
      { cwd: join(here, '..'), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<NodeJS.Signals | null>((r) =>
      child.on('exit', (_, signal) => r(signal)),
    );
    // Kill it once it has finished 4 trials and is inside the next one.
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const text = await readFile(path, 'utf8').catch(() => '');
      const finishes = text.split('\n').filter((l) => l.includes('"type":"finish"')).length;
      if (finishes >= 4 && text.trimEnd().split('\n').at(-1)!.includes('"type":"report"')) break;
    }
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    const before = parseJournal(await readFile(path, 'utf8'), path);
    if (E.isLeft(before)) throw new Error('the killed journal must parse');
    const finished = before.right.trials.filter((t) => t.state !== 'running');
    expect(finished.length).toBeGreaterThanOrEqual(4);
    expect(finished.length).toBeLessThan(10);
    expect(before.right.trials.some((t) => t.state === 'running')).toBe(true);

    const trials = await runTo(fileJournal(path), 10);
    expect(outcome(trials)).toEqual(outcome(reference));
    // Finished trials kept their records: they were not run again.
    for (const t of finished) expect(trials[t.number]!.restarts).toBe(0);
    const interrupted = before.right.trials.find((t) => t.state === 'running')!;
    expect(trials[interrupted.number]!.restarts).toBe(1);
  }, 60_000);
});
