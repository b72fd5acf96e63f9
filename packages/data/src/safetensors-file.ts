import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from './errors';
import { readBytes, writeAtomic } from './file-io';
import {
  decodeSafetensors,
  encodeSafetensors,
  type Safetensors,
  type SafetensorsWriteOptions,
} from './safetensors';

/**
 * Writes a pytree to a safetensors file, tensors named by pytree path
 * (`'conv1.kernel'`, `'layers.0.bias'`), atomically: a temporary file beside `path`
 * is written, flushed and renamed, so a crash never leaves a half-written checkpoint.
 * @example
 * await data.writeSafetensors('ckpt.safetensors', { params, optState }, { metadata: { step } })();
 */
export const writeSafetensors = (
  path: string,
  tree: unknown,
  options: SafetensorsWriteOptions = {},
): TE.TaskEither<DataError, void> =>
  pipe(
    TE.fromEither(encodeSafetensors(tree, options)),
    TE.flatMap((bytes) => writeAtomic(path, [bytes])),
  );

/**
 * Reads a safetensors file (from Jute or any other writer) into named tensors and
 * metadata; pass the result to `restoreInto` to rebuild a pytree.
 * @example
 * const ckpt = await data.readSafetensors('ckpt.safetensors')(); // Right({ tensors, metadata })
 */
export const readSafetensors = (path: string): TE.TaskEither<DataError, Safetensors> =>
  pipe(
    readBytes(path),
    TE.flatMapEither((bytes) => decodeSafetensors(bytes, path)),
  );
