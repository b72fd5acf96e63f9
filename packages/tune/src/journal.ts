import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TuneError } from './errors';

/**
 * Where a study keeps its journal: text made of complete JSON lines, only ever appended
 * to. The study does not care where the text lives; {@link memoryJournal} keeps it in
 * memory (browsers, tests), `fileJournal` from `@jute/tune/node` in a file.
 */
export interface JournalStorage {
  /** Names the journal in error messages (`''` for one in memory). */
  readonly path: string;
  /**
   * The journal's text up to its last complete line. A torn last line (a write cut short by
   * a crash) is dropped from the storage too, so the next append starts on a fresh line.
   */
  readonly open: () => TE.TaskEither<TuneError, string>;
  /** Appends `text` (complete lines) in one write, so a crash never interleaves records. */
  readonly append: (text: string) => TE.TaskEither<TuneError, void>;
}

/** Cuts a torn last line: everything after the final newline. */
export const completeLines = (text: string): string => text.slice(0, text.lastIndexOf('\n') + 1);

/** A journal in memory whose text can be read back (and replaced, to simulate a crash). */
export interface MemoryJournal extends JournalStorage {
  /** The journal's text as written so far. */
  readonly text: () => string;
}

/**
 * A journal held in memory: for browsers, tests, and studies that need not outlive the
 * page. Start it from a previous journal's text to resume that study.
 * @example
 * const journal = tune.memoryJournal();
 * // ... run a study, then resume it elsewhere:
 * const again = tune.memoryJournal(journal.text());
 */
export function memoryJournal(initial = ''): MemoryJournal {
  let text = initial;
  return {
    path: '',
    text: () => text,
    open: () =>
      TE.fromIO(() => {
        text = completeLines(text);
        return text;
      }),
    append: (lines) =>
      TE.fromIO(() => {
        text += lines;
      }),
  };
}
