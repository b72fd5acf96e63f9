import fc from 'fast-check';
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

describe('parseJournal on hostile input', () => {
  const valid = lines(
    { type: 'start', trial: 0, params: { x: 1, c: 'a' } },
    { type: 'report', trial: 0, step: 1, value: 5 },
    { type: 'finish', trial: 0, state: 'complete', value: 4 },
    { type: 'start', trial: 1, params: { x: 2, c: 'b' } },
    { type: 'report', trial: 1, step: 1, value: 7 },
    { type: 'finish', trial: 1, state: 'pruned', value: 7 },
  );

  it('never throws: random text or bytes are a journal or a CorruptJournal error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.uint8Array().map((b) => new TextDecoder().decode(b)),
        ),
        (junk) => {
          for (const text of [junk, `${junk}\n`, `${header}${junk}\n`]) {
            const r = parseJournal(text, 'fuzz.jsonl');
            if (E.isLeft(r)) expect(r.left._tag).toBe('CorruptJournal');
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a journal cut anywhere parses, to trials that agree with the whole journal', () => {
    const whole = parsed(valid).trials;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length }), (cut) => {
        const r = parseJournal(valid.slice(0, cut), '');
        if (E.isLeft(r)) throw new Error(`cut at ${cut}: ${r.left._tag}`);
        for (const t of r.right.trials) {
          const w = whole[t.number]!;
          expect(t.params).toEqual(w.params);
          if (t.state !== 'running') expect(t).toEqual(w);
          else expect(w.reports.slice(0, t.reports.length)).toEqual(t.reports);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a complete line that is not JSON is reported at its line number', () => {
    const rows = valid.split('\n');
    const notJson = (t: string) => {
      try {
        JSON.parse(t);
        return false;
      } catch {
        return t.trim() !== '';
      }
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: rows.length - 2 }),
        fc
          .string()
          .map((t) => t.replace(/\n/g, ''))
          .filter(notJson),
        (i, junk) => {
          const text = [...rows.slice(0, i), junk, ...rows.slice(i + 1)].join('\n');
          const r = parseJournal(text, 'j');
          expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'CorruptJournal', line: i + 1 });
        },
      ),
      { numRuns: 200 },
    );
  });
});
