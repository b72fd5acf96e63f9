import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeRecord, type JournalContents, parseJournal } from './journal-format';

const header = '{"type":"study","version":1,"direction":"minimize","space":[]}\n';
const lines = (...records: object[]) =>
  header + records.map((r) => `${JSON.stringify(r)}\n`).join('');
const parsed = (text: string): JournalContents => {
  const r = parseJournal(text, 'j.jsonl');
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
};

describe('parseJournal', () => {
  it('replays start, report and finish records into trials', () => {
    const c = parsed(
      lines(
        { type: 'start', trial: 0, params: { x: 1 } },
        { type: 'start', trial: 1, params: { x: 2 } },
        { type: 'report', trial: 0, step: 1, value: 5 },
        { type: 'finish', trial: 0, state: 'complete', value: 4 },
        { type: 'report', trial: 1, step: 1, value: 9 },
        { type: 'finish', trial: 1, state: 'pruned', value: 9 },
        { type: 'start', trial: 2, params: { x: 3 } },
      ),
    );
    expect(c.header).toEqual({ type: 'study', version: 1, direction: 'minimize', space: [] });
    expect(c.trials).toEqual([
      { number: 0, state: 'complete', params: { x: 1 }, value: 4, reports: [[1, 5]], restarts: 0 },
      { number: 1, state: 'pruned', params: { x: 2 }, value: 9, reports: [[1, 9]], restarts: 0 },
      { number: 2, state: 'running', params: { x: 3 }, reports: [], restarts: 0 },
    ]);
  });

  it('ignores a torn last line, wherever the write was cut', () => {
    const whole = lines(
      { type: 'start', trial: 0, params: { x: 1 } },
      { type: 'finish', trial: 0, state: 'complete', value: 4 },
    );
    const lastStart = whole.lastIndexOf('{');
    for (let cut = lastStart; cut < whole.length; cut++) {
      const c = parsed(whole.slice(0, cut));
      expect(c.trials).toEqual([
        { number: 0, state: 'running', params: { x: 1 }, reports: [], restarts: 0 },
      ]);
    }
    expect(parsed('').trials).toEqual([]);
    expect(parsed('{"type":"stu').header).toBeUndefined();
  });

  it('a second start of a running trial is a restart: the old reports no longer count', () => {
    const c = parsed(
      lines(
        { type: 'start', trial: 0, params: { x: 1 } },
        { type: 'report', trial: 0, step: 1, value: 5 },
        { type: 'start', trial: 0, params: { x: 1 } },
        { type: 'report', trial: 0, step: 1, value: 6 },
      ),
    );
    expect(c.trials).toEqual([
      { number: 0, state: 'running', params: { x: 1 }, reports: [[1, 6]], restarts: 1 },
    ]);
  });

  it('writes non-finite reports as null and reads them back as NaN', () => {
    const rec = encodeRecord({
      type: 'report',
      trial: 0,
      step: 1,
      value: Number.POSITIVE_INFINITY,
    });
    expect(rec).toBe('{"type":"report","trial":0,"step":1,"value":null}\n');
    const c = parsed(`${header}{"type":"start","trial":0,"params":{}}\n${rec}`);
    expect(c.trials[0]!.reports[0]![1]).toBeNaN();
  });

  it('rejects a corrupt complete line, naming its line number', () => {
    const bad = (text: string) => {
      const r = parseJournal(text, 'j.jsonl');
      return E.isLeft(r) ? r.left : undefined;
    };
    expect(bad(`${header}garbage\n{"type":"start","trial":0,"params":{}}\n`)).toMatchObject({
      _tag: 'CorruptJournal',
      path: 'j.jsonl',
      line: 2,
    });
    expect(bad(lines({ type: 'report', trial: 0, step: 1, value: 1 }))).toMatchObject({
      line: 2,
      reason: 'trial 0 is not running',
    });
    expect(
      bad(
        lines(
          { type: 'start', trial: 0, params: {} },
          { type: 'finish', trial: 0, state: 'complete', value: 1 },
          { type: 'start', trial: 0, params: {} },
        ),
      ),
    ).toMatchObject({ line: 4, reason: 'trial 0 finished already' });
    expect(bad('{"type":"start","trial":0,"params":{}}\n')).toMatchObject({
      reason: 'the first record must be the study header',
    });
    expect(bad(lines({ type: 'start', trial: -1, params: {} }))).toMatchObject({
      _tag: 'CorruptJournal',
    });
    expect(
      bad(
        lines(
          { type: 'start', trial: 0, params: {} },
          { type: 'finish', trial: 0, state: 'complete' },
        ),
      ),
    ).toMatchObject({
      reason: 'a complete trial needs a finite value',
    });
    expect(bad(`${header}${header}`)).toMatchObject({ reason: 'a second study header' });
  });
});
