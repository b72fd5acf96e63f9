import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TuneError } from './errors';
import { type JournalStorage, memoryJournal } from './journal';
import {
  encodeRecord,
  type JournalContents,
  type JournalRecord,
  parseJournal,
} from './journal-format';
import { noPruner, type Pruner } from './pruner';
import { rngFromKey } from './rng';
import type { Sampler } from './sampler';
import type { ConfigOf, Space } from './space';
import { tpeSampler } from './tpe-sampler';
import { type Direction, type FrozenTrial, lossOf } from './trial';
import { type ValidSpace, validateSpace } from './validate-space';

/** Options of {@link createStudy}. */
export interface StudyOptions<S extends Space> {
  readonly space: S;
  /** The study's randomness: trial `n` samples from `foldIn(key, n)`. */
  readonly key: jt.Array;
  /** `minimize` (default) for losses, `maximize` for scores. */
  readonly direction?: Direction;
  /** Default: {@link tpeSampler}. */
  readonly sampler?: Sampler;
  /** Default: {@link noPruner}. */
  readonly pruner?: Pruner;
  /** Default: a fresh {@link memoryJournal}. Give `fileJournal(path)` to survive a crash. */
  readonly journal?: JournalStorage;
}

/** What an objective gets: the configuration to try, and a line back to the pruner. */
export interface Trial<C> {
  readonly number: number;
  readonly params: C;
  /** A key for the objective's own randomness (initialisation, shuffling), fixed per trial. */
  readonly key: jt.Array;
  /**
   * Records an intermediate value (validation loss after an epoch ...) at `step`; steps
   * must increase. The value is journaled, and the pruner judges the trial on it.
   */
  readonly report: (step: number, value: number) => void;
  /**
   * Whether the pruner wants this trial stopped, judged on its last report. Once it says
   * yes, return from the objective: the trial is recorded as `pruned` with its last
   * reported value, whatever the objective returns.
   */
  readonly shouldPrune: () => boolean;
}

/** The function a study minimizes or maximizes: a configuration's final value. */
export type Objective<C> = (trial: Trial<C>) => number | Promise<number>;

/** Options of {@link Study.optimize}. */
export interface OptimizeOptions<C> {
  /**
   * The study's total budget: run trials until the study holds this many, counting those
   * run before (also in earlier processes, through the journal). Rerunning the same script
   * after a crash thus finishes the same budget.
   */
  readonly trials: number;
  /** How many objectives run at once (default 1); useful when they await I/O or workers. */
  readonly concurrency?: number;
  /** Called when a trial ends, with the trial and the study. */
  readonly onTrialEnd?: (trial: FrozenTrial<C>, study: Study<C>) => void;
}

/** A hyperparameter search: its trials so far, and a way to run more. */
export interface Study<C> {
  readonly direction: Direction;
  readonly space: ValidSpace;
  /** Every trial so far by number, as immutable snapshots. */
  readonly trials: readonly FrozenTrial<C>[];
  /** The complete trial with the best value (the earliest among equals). */
  readonly best: FrozenTrial<C> | undefined;
  /**
   * Runs the objective on new trials until the budget is spent. A trial still `running` in
   * the journal (its process died) is first restarted under its own number and parameters;
   * finished trials are never rerun. An objective that throws or returns a non-finite value
   * fails its trial, not the study; only a journal that cannot be written is a `Left`.
   */
  readonly optimize: (
    objective: Objective<C>,
    options: OptimizeOptions<C>,
  ) => TE.TaskEither<TuneError, readonly FrozenTrial<C>[]>;
}

/** How a trial ended, as its `finish` record says. */
type Outcome = Omit<Extract<JournalRecord, { type: 'finish' }>, 'type' | 'trial'>;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function checkHeader(
  contents: JournalContents,
  space: ValidSpace,
  direction: Direction,
  path: string,
): E.Either<TuneError, boolean> {
  const h = contents.header;
  if (!h) return E.right(false);
  const journalSpace = JSON.stringify(h.space);
  if (journalSpace !== space.fingerprint)
    return E.left({
      _tag: 'StudyMismatch',
      path,
      what: 'search space',
      journal: journalSpace,
      given: space.fingerprint,
    });
  if (h.direction !== direction)
    return E.left({
      _tag: 'StudyMismatch',
      path,
      what: 'direction',
      journal: h.direction,
      given: direction,
    });
  return E.right(true);
}

/**
 * Creates a study, or resumes the one its journal holds. The space is checked first (a bad
 * one is a {@link TuneError}); a journal of another study (different space or direction)
 * is `StudyMismatch`. The sampler and pruner may change between runs.
 * @example
 * const study = await tune.createStudy({
 *   space: { x: tune.uniform(-5, 5) },
 *   key: jt.random.key(0),
 * })();
 * if (E.isLeft(study)) throw tune.tuneErrorToError(study.left);
 * await study.right.optimize(({ params }) => (params.x - 1) ** 2, { trials: 30 })();
 * study.right.best?.params; // { x: ≈1 }
 */
export function createStudy<S extends Space>(
  options: StudyOptions<S>,
): TE.TaskEither<TuneError, Study<ConfigOf<S>>> {
  const direction = options.direction ?? 'minimize';
  const journal = options.journal ?? memoryJournal();
  return pipe(
    TE.fromEither(validateSpace(options.space)),
    TE.flatMap((space) =>
      pipe(
        journal.open(),
        TE.flatMap((text) => TE.fromEither(parseJournal(text, journal.path))),
        TE.flatMap((contents) =>
          pipe(
            TE.fromEither(checkHeader(contents, space, direction, journal.path)),
            TE.flatMap((hasHeader) =>
              hasHeader
                ? TE.right(undefined)
                : journal.append(
                    encodeRecord({
                      type: 'study',
                      version: 1,
                      direction,
                      space: JSON.parse(space.fingerprint),
                    }),
                  ),
            ),
            TE.map(() =>
              makeStudy<ConfigOf<S>>(space, contents.trials, { ...options, direction, journal }),
            ),
          ),
        ),
      ),
    ),
  );
}

interface Resolved {
  readonly key: jt.Array;
  readonly direction: Direction;
  readonly sampler?: Sampler;
  readonly pruner?: Pruner;
  readonly journal: JournalStorage;
}

function makeStudy<C>(space: ValidSpace, loaded: readonly FrozenTrial[], o: Resolved): Study<C> {
  const sampler = o.sampler ?? tpeSampler();
  const pruner = o.pruner ?? noPruner();
  const trials = new Map<number, FrozenTrial>(loaded.map((t) => [t.number, t]));
  const all = (): FrozenTrial[] => [...trials.values()].sort((a, b) => a.number - b.number);
  let nextNumber = Math.max(-1, ...trials.keys()) + 1;
  let running = false;

  // Appends go through one chain so records land in the order they were made; the first
  // failure stops the study (later records would describe trials the journal lacks).
  let chain: Promise<void> = Promise.resolve();
  let writeError: TuneError | undefined;
  const write = (record: JournalRecord): Promise<void> => {
    chain = chain.then(async () => {
      if (writeError) return;
      const r = await o.journal.append(encodeRecord(record))();
      if (E.isLeft(r)) writeError = r.left;
    });
    return chain;
  };

  const study: Study<C> = {
    direction: o.direction,
    space,
    get trials() {
      return all() as unknown as FrozenTrial<C>[];
    },
    get best() {
      let best: FrozenTrial | undefined;
      for (const t of all()) {
        if (t.state !== 'complete' || t.value === undefined) continue;
        if (!best || lossOf(o.direction, t.value) < lossOf(o.direction, best.value!)) best = t;
      }
      return best as FrozenTrial<C> | undefined;
    },
    optimize: (objective, options) => async () => {
      const concurrency = options.concurrency ?? 1;
      if (!Number.isInteger(options.trials) || options.trials < 0)
        return E.left({
          _tag: 'InvalidOption',
          option: 'trials',
          reason: `expected a count, got ${options.trials}`,
        });
      if (!Number.isInteger(concurrency) || concurrency < 1)
        return E.left({
          _tag: 'InvalidOption',
          option: 'concurrency',
          reason: `expected an integer ≥ 1, got ${concurrency}`,
        });
      if (running)
        return E.left({
          _tag: 'InvalidOption',
          option: 'optimize',
          reason: 'this study is already optimizing',
        });
      running = true;
      try {
        const interrupted = all().filter((t) => t.state === 'running');
        const runTrial = async (number: number, params: Readonly<Record<string, unknown>>) => {
          const objectiveKey = jt.random.split(jt.random.foldIn(o.key, number), 2)[1]!;
          await write({ type: 'start', trial: number, params: { ...params } });
          const outcome = await runObjective(number, params, objectiveKey);
          const t = trials.get(number)!;
          const done: FrozenTrial = { ...t, ...outcome };
          trials.set(number, done);
          await write({ type: 'finish', trial: number, ...outcome });
          options.onTrialEnd?.(done as unknown as FrozenTrial<C>, study);
        };
        const runObjective = async (
          number: number,
          params: Readonly<Record<string, unknown>>,
          key: jt.Array,
        ): Promise<Outcome> => {
          let pruned = false;
          const trial: Trial<C> = {
            number,
            params: params as C,
            key,
            report: (step, value) => {
              const t = trials.get(number)!;
              const last = t.reports.at(-1);
              if (typeof step !== 'number' || !Number.isFinite(step))
                throw new jt.ValueError(
                  `trial.report: the step must be a finite number, got ${step}`,
                );
              if (last && step <= last[0])
                throw new jt.ValueError(
                  `trial.report: steps must increase, got ${step} after ${last[0]}`,
                );
              if (t.state !== 'running')
                throw new jt.ValueError(`trial.report: trial ${number} has ended`);
              if (typeof value !== 'number')
                throw new jt.ValueError(`trial.report: the value must be a number, got ${value}`);
              // A diverged run reports Infinity or NaN; both are stored as NaN (the journal's
              // JSON has no infinities), which every ranking treats as the worst value.
              const v = Number.isFinite(value) ? value : Number.NaN;
              trials.set(number, { ...t, reports: [...t.reports, [step, v]] });
              void write({ type: 'report', trial: number, step, value: v });
            },
            shouldPrune: () => {
              pruned ||= pruner.shouldPrune(trials.get(number)!, all(), o.direction);
              return pruned;
            },
          };
          const lastValue = () => trials.get(number)!.reports.at(-1)?.[1];
          try {
            const v = await objective(trial);
            if (pruned) {
              const value = lastValue() ?? v;
              return value === undefined ? { state: 'pruned' } : { state: 'pruned', value };
            }
            if (typeof v !== 'number' || !Number.isFinite(v))
              return { state: 'failed', error: `the objective returned ${String(v)}` };
            return { state: 'complete', value: v };
          } catch (e) {
            if (pruned) {
              const value = lastValue();
              return value === undefined ? { state: 'pruned' } : { state: 'pruned', value };
            }
            return { state: 'failed', error: message(e) };
          }
        };
        // The next job, decided synchronously so that trial numbers and samples follow the
        // order in which workers ask, not the order in which writes complete.
        const nextJob = (): (() => Promise<void>) | undefined => {
          if (writeError) return undefined;
          const again = interrupted.shift();
          if (again) {
            trials.set(again.number, { ...again, reports: [], restarts: again.restarts + 1 });
            return () => runTrial(again.number, again.params);
          }
          if (trials.size >= options.trials) return undefined;
          const number = nextNumber++;
          const samplerKey = jt.random.split(jt.random.foldIn(o.key, number), 2)[0]!;
          const params = sampler.sample({
            space,
            trials: all(),
            direction: o.direction,
            number,
            rng: rngFromKey(samplerKey),
          });
          trials.set(number, { number, state: 'running', params, reports: [], restarts: 0 });
          return () => runTrial(number, params);
        };
        const worker = async () => {
          for (let job = nextJob(); job; job = nextJob()) await job();
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
        await chain;
        return writeError ? E.left(writeError) : E.right(study.trials);
      } finally {
        running = false;
      }
    },
  };
  return study;
}
