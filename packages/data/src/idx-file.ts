import type * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from './errors';
import { readMaybeGzip } from './file-io';
import { type IdxData, type IdxOptions, idxDeclaredBytes, idxToArray, parseIdx } from './idx';
import { maxBytesOption } from './limits';

/**
 * Reads the raw contents of an IDX file (gzipped or not, detected from its bytes). A
 * gzipped file is inflated incrementally and never past the size its header declares
 * nor past `maxBytes` (default 256 MiB), so a decompression bomb is a `TooLarge` or
 * `DecompressFailed` error after little work, not an exhausted heap.
 * @example await readIdxRaw('train-labels-idx1-ubyte')();
 */
export const readIdxRaw = (
  path: string,
  options: IdxOptions = {},
): TE.TaskEither<DataError, IdxData> =>
  pipe(
    TE.fromEither(maxBytesOption('readIdx', options.maxBytes)),
    TE.flatMap((maxBytes) =>
      readMaybeGzip(path, { maxBytes, declared: (prefix) => idxDeclaredBytes(prefix, path) }),
    ),
    TE.flatMapEither((bytes) => parseIdx(bytes, path, options)),
  );

/**
 * Reads an IDX file (`*-idx3-ubyte`, `*-idx1-ubyte`, optionally `.gz`) into an array:
 * integer types become int32, float32 and float64 keep their type. Options as
 * {@link readIdxRaw}; a shape the array type refuses is a `MalformedHeader`.
 * @example
 * const labels = await data.readIdx('data/train-labels-idx1-ubyte.gz')(); // Right(int32 [60000])
 */
export const readIdx = (
  path: string,
  options: IdxOptions = {},
): TE.TaskEither<DataError, jt.Array> =>
  pipe(
    readIdxRaw(path, options),
    TE.flatMapEither((idx) =>
      E.tryCatch(
        () => idxToArray(idx),
        (e): DataError => ({
          _tag: 'MalformedHeader',
          path,
          reason: `shape [${idx.shape.join(',')}]: ${e instanceof Error ? e.message : String(e)}`,
        }),
      ),
    ),
  );
