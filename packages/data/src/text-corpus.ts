import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from './errors';
import { readBytes } from './file-io';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the UTF-8 text corpus at `path` (`@jute/datasets` has *Moby-Dick*). Line endings
 * are normalised to `\n`; invalid UTF-8 is a `ParseError`.
 * @example
 * const text = await data.loadTextCorpus('corpus.txt')(); // Right('...')
 */
export const loadTextCorpus = (path: string): TE.TaskEither<DataError, string> => {
  const file = path;
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
