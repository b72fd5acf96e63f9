import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { ashaPruner } from './asha-pruner';
import type { TuneError } from './errors';
import { type JournalStorage, memoryJournal } from './journal';
import { parseJournal } from './journal-format';
import { randomSampler } from './random-sampler';
import { rngFromKey } from './rng';
import { choice, int, logUniform, type Space, uniform, when } from './space';
import { createStudy, type Objective, type Study, type StudyOptions } from './study';
import { tpeSampler } from './tpe-sampler';
import type { FrozenTrial } from './trial';

async function open<S extends Space>(options: StudyOptions<S>) {
  const s = await createStudy(options)();
  if (E.isLeft(s)) throw new Error(JSON.stringify(s.left));
  return s.right;
}

async function run<C>(study: Study<C>, objective: Objective<C>, trials: number, concurrency = 1) {
  const r = await study.optimize(objective, { trials, concurrency })();
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
}

const leftOf = <A>(e: E.Either<TuneError, A>): TuneError | undefined =>
  E.isLeft(e) ? e.left : undefined;

describe('a study', () => {
  it('minimizes, and finds the best trial', async () => {
    const study = await open({ space: { x: uniform(-5, 5) }, key: jt.random.key(0) });
    const trials = await run(study, ({ params }) => (params.x - 1) ** 2, 40);
    expect(trials).toHaveLength(40);
    expect(trials.map((t) => t.number)).toEqual([...Array(40).keys()]);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    const best = study.best!;
    expect(best.value).toBe(Math.min(...trials.map((t) => t.value!)));
    expect(Math.abs(best.params.x - 1)).toBeLessThan(0.3);
  });

  it('maximizes when asked', async () => {
    const study = await open({
      space: { x: uniform(0, 1) },
      key: jt.random.key(1),
      direction: 'maximize',
    });
    const trials = await run(study, ({ params }) => params.x, 15);
    expect(study.best!.value).toBe(Math.max(...trials.map((t) => t.value!)));
  });

  it('marks a throwing, NaN-returning or misreporting objective as failed, and goes on', async () => {
    const study = await open({
      space: { i: int(0, 100) },
      key: jt.random.key(2),
      sampler: randomSampler(),
    });
    const trials = await run(
      study,
      (t) => {
        if (t.number === 1) throw new Error('out of memory');
        if (t.number === 2) return Number.NaN;
        if (t.number === 3) {
          t.report(2, 1);
          t.report(1, 1); // steps must increase
        }
        return t.number;
      },
      5,
    );
    expect(trials.map((t) => t.state)).toEqual([
      'complete',
      'failed',
      'failed',
      'failed',
      'complete',
    ]);
    expect(trials[1]!.error).toBe('out of memory');
    expect(trials[2]!.error).toBe('the objective returned NaN');
    expect(trials[3]!.error).toMatch(/steps must increase, got 1 after 2/);
    expect(study.best!.number).toBe(0);
  });

  it('stores a diverged report (Infinity, NaN) as NaN, the worst value in either direction', async () => {
    for (const direction of ['minimize', 'maximize'] as const) {
      const journal = memoryJournal();
      const study = await open({
        space: { x: uniform(0, 1) },
        key: jt.random.key(5),
        direction,
        journal,
      });
      const trials = await run(
        study,
        (t) => {
          t.report(1, t.number === 0 ? Number.POSITIVE_INFINITY : 0.5);
          return 0.5;
        },
        2,
      );
      expect(trials[0]!.reports[0]![1]).toBeNaN();
      const replayed = parseJournal(journal.text(), '');
      expect(E.isRight(replayed) && replayed.right.trials).toEqual(trials);
      // Under ASHA the diverged trial would lose its rung to the other one, either way.
      const asha = ashaPruner({ reductionFactor: 2 });
      expect(asha.shouldPrune(trials[0]!, trials, direction)).toBe(true);
      expect(asha.shouldPrune(trials[1]!, trials, direction)).toBe(false);
    }
  });

  it('runs `concurrency` objectives at once, each trial number once', async () => {
    const study = await open({ space: { x: uniform(0, 1) }, key: jt.random.key(3) });
    let inFlight = 0;
    let most = 0;
    const trials = await run(
      study,
      async ({ params }) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return params.x;
      },
      13,
      4,
    );
    expect(most).toBe(4);
    expect(trials.map((t) => t.number)).toEqual([...Array(13).keys()]);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
  });

  it('gives each trial a fixed key of its own', async () => {
    const keys = async () => {
      const study = await open({ space: { x: uniform(0, 1) }, key: jt.random.key(4) });
      const seen: number[] = [];
      await run(
        study,
        (t) => {
          seen.push(rngFromKey(t.key).next());
          return 0;
        },
        3,
      );
      return seen;
    };
    const a = await keys();
    expect(await keys()).toEqual(a);
    expect(new Set(a).size).toBe(3);
  });

  it('rejects bad options and a bad space as typed values', async () => {
    expect(
      leftOf(await createStudy({ space: { lr: logUniform(0, 1) }, key: jt.random.key(0) })()),
    ).toEqual({
      _tag: 'LogRangeNotPositive',
      param: 'lr',
      lo: 0,
    });
    const study = await open({ space: { x: uniform(0, 1) }, key: jt.random.key(0) });
    expect(leftOf(await study.optimize(() => 0, { trials: 2, concurrency: 0 })())).toMatchObject({
      _tag: 'InvalidOption',
      option: 'concurrency',
    });
    expect(leftOf(await study.optimize(() => 0, { trials: -1 })())).toMatchObject({
      option: 'trials',
    });
  });

  it('refuses a journal of another study', async () => {
    const journal = memoryJournal();
    await open({ space: { x: uniform(0, 1) }, key: jt.random.key(0), journal });
    const other = await createStudy({
      space: { x: uniform(0, 2) },
      key: jt.random.key(0),
      journal,
    })();
    expect(leftOf(other)).toMatchObject({ _tag: 'StudyMismatch', what: 'search space' });
    const flipped = await createStudy({
      space: { x: uniform(0, 1) },
      key: jt.random.key(0),
      journal,
      direction: 'maximize',
    })();
    expect(leftOf(flipped)).toMatchObject({
      _tag: 'StudyMismatch',
      what: 'direction',
      journal: 'minimize',
    });
  });

  it('stops with WriteFailed when the journal cannot be written', async () => {
    let appends = 0;
    const failing: JournalStorage = {
      path: 'full-disk.jsonl',
      open: () => TE.right(''),
      append: () =>
        ++appends > 4
          ? TE.left({ _tag: 'WriteFailed', path: 'full-disk.jsonl', message: 'ENOSPC' })
          : TE.right(undefined),
    };
    const study = await open({
      space: { x: uniform(0, 1) },
      key: jt.random.key(0),
      journal: failing,
    });
    const r = await study.optimize(({ params }) => params.x, { trials: 10 })();
    expect(leftOf(r)).toEqual({ _tag: 'WriteFailed', path: 'full-disk.jsonl', message: 'ENOSPC' });
    expect(study.trials.length).toBeLessThan(10);
  });
});

// --- Crash and resume ------------------------------------------------------------------

const space = {
  lr: logUniform(1e-4, 1),
  width: int(8, 128, { log: true }),
  opt: choice(['sgd', 'adam']),
  momentum: when('opt', ['sgd'], uniform(0, 0.99)),
};

/** A deterministic "training curve" per configuration: 8 reports, pruned by ASHA. */
const objective: Objective<{
  readonly lr: number;
  readonly width: number;
  readonly opt: 'sgd' | 'adam';
  readonly momentum: number | undefined;
}> = (t) => {
  const p = t.params;
  const floor =
    (Math.log10(p.lr) + 2.5) ** 2 +
    (Math.log2(p.width) - 5) ** 2 / 4 +
    (p.opt === 'sgd' ? (p.momentum! - 0.9) ** 2 : 0.1);
  const noise = 0.05 * rngFromKey(t.key).next();
  let value = Number.NaN;
  for (let step = 1; step <= 8; step++) {
    value = floor + 2 / step + noise;
    t.report(step, value);
    if (t.shouldPrune()) return value;
  }
  return value;
};

const options = (journal: JournalStorage) => ({
  space,
  key: jt.random.key(7),
  sampler: tpeSampler({ startupTrials: 5 }),
  pruner: ashaPruner({ reductionFactor: 2 }),
  journal,
});

/** What must not change across a crash (restarts may: that is the crash). */
const outcome = (ts: readonly FrozenTrial[]) =>
  ts.map(({ number, state, params, value, reports }) => ({
    number,
    state,
    params,
    value,
    reports,
  }));

describe('a study resumed after a crash', () => {
  const budget = 16;
  let reference: readonly FrozenTrial[];
  let journalText: string;

  it('(the uninterrupted reference run)', async () => {
    const journal = memoryJournal();
    const study = await open(options(journal));
    reference = await run(study, objective, budget);
    journalText = journal.text();
    expect(reference.filter((t) => t.state === 'pruned').length).toBeGreaterThan(0);
    expect(reference.filter((t) => t.state === 'complete').length).toBeGreaterThan(2);
    // The journal alone reproduces the study.
    const replayed = parseJournal(journalText, '');
    expect(E.isRight(replayed) && replayed.right.trials).toEqual(reference);
  });

  it('stopped after k trials, then resumed, equals the uninterrupted study', async () => {
    for (const k of [1, 5, 9]) {
      const journal = memoryJournal();
      await run(await open(options(journal)), objective, k);
      let calls = 0;
      const resumed = await open(options(memoryJournal(journal.text())));
      const trials = await run(
        resumed,
        (t) => {
          calls++;
          return objective(t);
        },
        budget,
      );
      expect(calls).toBe(budget - k); // no finished trial runs again
      expect(outcome(trials)).toEqual(outcome(reference));
    }
  });

  it('killed mid-write (journal cut anywhere, even inside a line), then resumed, equals it too', async () => {
    const cuts = [0.13, 0.3, 0.47, 0.62, 0.81, 0.97].map((f) => Math.floor(f * journalText.length));
    let restarted = 0;
    for (const cut of cuts) {
      const torn = journalText.slice(0, cut);
      const before = parseJournal(torn, '');
      if (E.isLeft(before)) throw new Error('a torn journal must parse');
      const finished = before.right.trials.filter((t) => t.state !== 'running').length;
      const interrupted = before.right.trials
        .filter((t) => t.state === 'running')
        .map((t) => t.number);
      const journal = memoryJournal(torn);
      let calls = 0;
      const resumed = await open(options(journal));
      const trials = await run(
        resumed,
        (t) => {
          calls++;
          return objective(t);
        },
        budget,
      );
      expect(calls).toBe(budget - finished);
      expect(outcome(trials)).toEqual(outcome(reference));
      // A trial that was running is restarted under its own number, and says so.
      for (const n of interrupted) expect(trials[n]!.restarts).toBe(1);
      restarted += interrupted.length;
      // The repaired journal replays to the same study.
      const replayed = parseJournal(journal.text(), '');
      expect(E.isRight(replayed) && outcome(replayed.right.trials)).toEqual(outcome(reference));
    }
    // The cuts did land inside lines and inside trials.
    expect(cuts.filter((c) => journalText[c - 1] !== '\n').length).toBeGreaterThan(3);
    expect(restarted).toBeGreaterThan(2);
  });
});
