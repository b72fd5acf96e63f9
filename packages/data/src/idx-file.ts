import type * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from './errors';
import { readMaybeGzip } from './file-io';
import { type IdxData, idxToArray, parseIdx } from './idx';

/**
 * Reads the raw contents of an IDX file (gzipped or not, detected from its bytes).
 * @example await readIdxRaw('train-labels-idx1-ubyte')();
 */
export const readIdxRaw = (path: string): TE.TaskEither<DataError, IdxData> =>
  pipe(
    readMaybeGzip(path),
    TE.flatMapEither((bytes) => parseIdx(bytes, path)),
  );

/**
 * Reads an IDX file (`*-idx3-ubyte`, `*-idx1-ubyte`, optionally `.gz`) into an array:
 * integer types become int32, float32 and float64 keep their type.
 * @example
 * const labels = await data.readIdx('data/train-labels-idx1-ubyte.gz')(); // Right(int32 [60000])
 */
export const readIdx = (path: string): TE.TaskEither<DataError, jt.Array> =>
  pipe(readIdxRaw(path), TE.map(idxToArray));
