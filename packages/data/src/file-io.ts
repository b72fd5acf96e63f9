import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from './errors';

const gunzipAsync = promisify(gunzip);

const errorCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e
    ? String((e as { code: unknown }).code)
    : undefined;

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The bytes of a file; a missing file is `FileNotFound`, any other failure `ReadFailed`.
 * @example await readBytes('weights.safetensors')();
 */
export const readBytes = (path: string): TE.TaskEither<DataError, Uint8Array> =>
  TE.tryCatch(
    async () => {
      const b = await readFile(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    (e): DataError =>
      errorCode(e) === 'ENOENT'
        ? { _tag: 'FileNotFound', path }
        : { _tag: 'ReadFailed', path, message: errorMessage(e) },
  );

/** Whether bytes start with the gzip magic number `1f 8b`. */
export const isGzip = (bytes: Uint8Array): boolean =>
  bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * The bytes of a file, gunzipped when they start with the gzip magic number
 * (whatever the file is called).
 * @example await readMaybeGzip('train-images-idx3-ubyte.gz')();
 */
export const readMaybeGzip = (path: string): TE.TaskEither<DataError, Uint8Array> =>
  TE.flatMap(readBytes(path), (bytes) =>
    isGzip(bytes)
      ? TE.tryCatch(
          async () => {
            const b = await gunzipAsync(bytes);
            return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
          },
          (e): DataError => ({ _tag: 'DecompressFailed', path, message: errorMessage(e) }),
        )
      : TE.right(bytes),
  );

/**
 * Writes a file atomically: the bytes go to a temporary file beside it, are flushed,
 * and the temporary file is renamed over `path`; on any failure it is removed, so
 * `path` holds either its old content or the complete new one.
 * @example await writeAtomic('ckpt.safetensors', bytes)();
 */
export const writeAtomic = (
  path: string,
  chunks: readonly Uint8Array[],
): TE.TaskEither<DataError, void> =>
  TE.tryCatch(
    async () => {
      const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        const fh = await open(tmp, 'wx');
        try {
          for (const c of chunks) await fh.writeFile(c);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, path);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
    },
    (e): DataError => ({ _tag: 'WriteFailed', path, message: errorMessage(e) }),
  );
