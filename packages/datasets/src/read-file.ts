import { readFile } from 'node:fs/promises';
import type { DataError } from '@jute/data';
import * as TE from 'fp-ts/lib/TaskEither.js';

/**
 * The bytes of the file at `path` as a `TaskEither`: a missing file is `FileNotFound`,
 * any other failure `ReadFailed`. The datasets are files this package ships, of known size.
 * @example await readBytes('/path/to/0.json')(); // Right(Uint8Array)
 */
export const readBytes = (path: string): TE.TaskEither<DataError, Uint8Array> =>
  TE.tryCatch(
    async () => new Uint8Array(await readFile(path)),
    (e): DataError =>
      (e as { code?: unknown }).code === 'ENOENT'
        ? { _tag: 'FileNotFound', path }
        : { _tag: 'ReadFailed', path, message: e instanceof Error ? e.message : String(e) },
  );
