import * as E from 'fp-ts/lib/Either.js';
import type { TuneError } from './errors';
import type { Direction, FrozenTrial, Report, TrialState } from './trial';

/**
 * One line of a study journal. A journal is append-only: a trial is a `start` line,
 * its `report` lines, and a `finish` line; its state is whatever the lines say so far.
 */
export type JournalRecord =
  | {
      readonly type: 'study';
      readonly version: 1;
      readonly direction: Direction;
      readonly space: unknown;
    }
  | { readonly type: 'start'; readonly trial: number; readonly params: Record<string, unknown> }
  | {
      readonly type: 'report';
      readonly trial: number;
      readonly step: number;
      readonly value: number;
    }
  | {
      readonly type: 'finish';
      readonly trial: number;
      readonly state: Exclude<TrialState, 'running'>;
      readonly value?: number;
      readonly error?: string;
    };

/**
 * A record as one journal line, newline included. JSON has no NaN or infinities, so a
 * non-finite reported value is written as `null` and read back as NaN.
 */
export const encodeRecord = (r: JournalRecord): string =>
  `${JSON.stringify(r, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;

/** What a journal holds: its study header (absent when empty) and its trials by number. */
export interface JournalContents {
  readonly header?: Extract<JournalRecord, { type: 'study' }>;
  readonly trials: readonly FrozenTrial[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const num = (v: unknown): number | undefined =>
  v === null ? Number.NaN : typeof v === 'number' ? v : undefined;

interface MutableTrial {
  number: number;
  state: TrialState;
  params: Record<string, unknown>;
  value?: number;
  reports: Report[];
  error?: string;
  restarts: number;
}

/** Applies one parsed line to the trials so far; a string is why the line is invalid. */
function apply(
  rec: Record<string, unknown>,
  trials: Map<number, MutableTrial>,
): string | undefined {
  const t = rec.trial;
  if (!isCount(t)) return 'the trial number is not a non-negative integer';
  const trial = trials.get(t);
  switch (rec.type) {
    case 'start': {
      if (!isObject(rec.params)) return 'a start record needs params';
      if (trial && trial.state !== 'running') return `trial ${t} finished already`;
      // A second start of a running trial is its restart after a crash: the reports of
      // the interrupted run no longer count.
      trials.set(t, {
        number: t,
        state: 'running',
        params: rec.params,
        reports: [],
        restarts: trial ? trial.restarts + 1 : 0,
      });
      return undefined;
    }
    case 'report': {
      const step = num(rec.step);
      const value = num(rec.value);
      if (step === undefined || !Number.isFinite(step) || value === undefined)
        return 'a report needs a finite step and a value';
      if (trial?.state !== 'running') return `trial ${t} is not running`;
      trial.reports.push([step, value]);
      return undefined;
    }
    case 'finish': {
      if (trial?.state !== 'running') return `trial ${t} is not running`;
      const state = rec.state;
      if (state !== 'complete' && state !== 'pruned' && state !== 'failed')
        return `unknown trial state ${JSON.stringify(state)}`;
      const value = rec.value === undefined ? undefined : num(rec.value);
      if (state === 'complete' && (value === undefined || !Number.isFinite(value)))
        return 'a complete trial needs a finite value';
      trial.state = state;
      if (value !== undefined) trial.value = value;
      if (typeof rec.error === 'string') trial.error = rec.error;
      return undefined;
    }
    default:
      return `unknown record type ${JSON.stringify(rec.type)}`;
  }
}

/**
 * Replays a journal's text into its trials. Only lines ending in a newline count: a last
 * line without one is a write torn by a crash, and is ignored. Any other line that is not
 * a valid record (bad JSON, a report for a trial never started ...) is `CorruptJournal`.
 * @example parseJournal('{"type":"study","version":1,"direction":"minimize","space":[]}\n{"type":"sta', 'j.jsonl');
 */
export function parseJournal(text: string, path: string): E.Either<TuneError, JournalContents> {
  const lines = text.split('\n');
  lines.pop(); // '' after the final newline, or a torn write
  const trials = new Map<number, MutableTrial>();
  let header: JournalContents['header'];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const corrupt = (reason: string) =>
      E.left<TuneError>({ _tag: 'CorruptJournal', path, line: i + 1, reason });
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      return corrupt(e instanceof Error ? e.message : String(e));
    }
    if (!isObject(rec)) return corrupt('a record is a JSON object');
    if (rec.type === 'study') {
      if (header) return corrupt('a second study header');
      if (rec.version !== 1)
        return corrupt(`unknown journal version ${JSON.stringify(rec.version)}`);
      if (rec.direction !== 'minimize' && rec.direction !== 'maximize')
        return corrupt('the direction is minimize or maximize');
      header = { type: 'study', version: 1, direction: rec.direction, space: rec.space };
      continue;
    }
    if (!header) return corrupt('the first record must be the study header');
    const reason = apply(rec, trials);
    if (reason !== undefined) return corrupt(reason);
  }
  const sorted = [...trials.values()].sort((a, b) => a.number - b.number);
  return E.right(header ? { header, trials: sorted } : { trials: sorted });
}
