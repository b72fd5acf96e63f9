import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from './errors';

/**
 * The default `maxBytes` of the readers that allocate or inflate from a size the file
 * itself declares (`parseIdx`, `readIdx`, `readIdxRaw`): 256 MiB. MNIST's 47 MB of
 * images fit five times over; larger sets (EMNIST ByClass, 547 MB) pass a larger limit.
 * @example data.readIdx('emnist-byclass-train-images-idx3-ubyte.gz', { maxBytes: 2 ** 30 })
 */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** `maxBytes` as given (or the default), or `InvalidArgument` for a value that is no size. */
export function maxBytesOption(fn: string, maxBytes: unknown): E.Either<DataError, number> {
  if (maxBytes === undefined) return E.right(DEFAULT_MAX_BYTES);
  if (typeof maxBytes === 'number' && maxBytes >= 0 && !Number.isNaN(maxBytes))
    return E.right(maxBytes);
  return E.left({
    _tag: 'InvalidArgument',
    message: `${fn}: maxBytes must be a non-negative number of bytes, got ${String(maxBytes)}`,
  });
}
