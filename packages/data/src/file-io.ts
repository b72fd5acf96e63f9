import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from './errors';
import { DEFAULT_MAX_BYTES } from './limits';

const errorCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e
    ? String((e as { code: unknown }).code)
    : undefined;

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** What a file that is not a regular one is, for messages. */
const KIND: readonly [(s: import('node:fs').Stats) => boolean, string][] = [
  [(s) => s.isSymbolicLink(), 'a symbolic link (write to its target by naming the target)'],
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isFIFO(), 'a FIFO'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSocket(), 'a socket'],
];

/**
 * The bytes of a file; a missing file is `FileNotFound`, any other failure `ReadFailed`.
 * Only regular files are read (symbolic links to them included): a FIFO would block the
 * read forever and a device such as `/dev/zero` never ends, so both are `ReadFailed`.
 * @example await readBytes('weights.safetensors')();
 */
export const readBytes = (path: string): TE.TaskEither<DataError, Uint8Array> =>
  // Node reads a number as a file descriptor: a path that is no string is refused here.
  typeof path !== 'string'
    ? TE.left({ _tag: 'InvalidArgument', message: `expected a file path, got ${typeof path}` })
    : TE.tryCatch(
        async () => {
          // stat, unlike open, does not block on a FIFO without a writer.
          const info = await stat(path);
          if (!info.isFile()) {
            const kind = KIND.find(([is]) => is(info))?.[1] ?? 'not a regular file';
            throw new Error(`it is ${kind}, not a regular file`);
          }
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
 * How a format tells, from the first inflated bytes, how long its whole content must be:
 * `undefined` while the prefix is too short to know, else the total size in bytes (or a
 * `DataError` for a prefix that is already wrong).
 */
export type DeclaredSize = (prefix: Uint8Array) => E.Either<DataError, number> | undefined;

/** Options of {@link gunzipBounded} and {@link readMaybeGzip}. */
export interface InflateOptions {
  /** Refuse to produce more than this many bytes (default {@link DEFAULT_MAX_BYTES}). */
  readonly maxBytes?: number;
  /** The size the content's own header declares; inflating stops as soon as it is exceeded. */
  readonly declared?: DeclaredSize;
}

/**
 * Gunzips `bytes` incrementally, never holding more than `maxBytes` of output (nor more
 * than the size the content's header declares, when `declared` is given): a
 * decompression bomb ends in `TooLarge` or `DecompressFailed` after inflating at most
 * that much, instead of exhausting memory.
 * @example await gunzipBounded(gz, 'x.gz', { maxBytes: 1 << 20 })();
 */
export const gunzipBounded =
  (
    bytes: Uint8Array,
    path: string,
    options: InflateOptions = {},
  ): TE.TaskEither<DataError, Uint8Array> =>
  () =>
    new Promise((resolve) => {
      const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
      const z = createGunzip();
      let settled = false;
      const finish = (r: E.Either<DataError, Uint8Array>) => {
        if (settled) return;
        settled = true;
        z.removeAllListeners('data');
        z.destroy();
        resolve(r);
      };
      // Until the header is known the output lives in chunks; then in one exact buffer.
      let chunks: Uint8Array[] = [];
      let out: Uint8Array | undefined;
      let length = 0;
      let limit = maxBytes;
      const prefix = (): Uint8Array => {
        const p = new Uint8Array(length);
        let at = 0;
        for (const c of chunks) {
          p.set(c, at);
          at += c.length;
        }
        return p;
      };
      z.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (length + chunk.length > limit) {
          finish(
            limit < maxBytes
              ? E.left({
                  _tag: 'DecompressFailed',
                  path,
                  message: `inflates past the ${limit} bytes its header declares`,
                })
              : E.left({
                  _tag: 'TooLarge',
                  path,
                  what: 'gunzipped size',
                  limit: maxBytes,
                  actual: length + chunk.length,
                }),
          );
          return;
        }
        if (out !== undefined) {
          out.set(chunk, length);
          length += chunk.length;
          return;
        }
        chunks.push(new Uint8Array(chunk));
        length += chunk.length;
        const known = options.declared?.(prefix());
        if (known === undefined) return;
        if (E.isLeft(known)) return finish(known);
        if (known.right > maxBytes) {
          return finish(
            E.left({
              _tag: 'TooLarge',
              path,
              what: 'declared size',
              limit: maxBytes,
              actual: known.right,
            }),
          );
        }
        if (length > known.right) {
          return finish(
            E.left({
              _tag: 'DecompressFailed',
              path,
              message: `inflates past the ${known.right} bytes its header declares`,
            }),
          );
        }
        limit = known.right;
        out = new Uint8Array(known.right);
        out.set(prefix());
        chunks = [];
      });
      z.on('error', (e) =>
        finish(E.left({ _tag: 'DecompressFailed', path, message: errorMessage(e) })),
      );
      z.on('end', () => {
        if (out === undefined) return finish(E.right(prefix()));
        // Shorter than declared: the format's own parser reports it as Truncated.
        finish(E.right(length === out.length ? out : out.subarray(0, length)));
      });
      z.end(bytes);
    });

/**
 * The bytes of a file, gunzipped (incrementally, bounded as in {@link gunzipBounded})
 * when they start with the gzip magic number, whatever the file is called.
 * @example await readMaybeGzip('train-images-idx3-ubyte.gz')();
 */
export const readMaybeGzip = (
  path: string,
  options: InflateOptions = {},
): TE.TaskEither<DataError, Uint8Array> =>
  TE.flatMap(readBytes(path), (bytes) =>
    isGzip(bytes) ? gunzipBounded(bytes, path, options) : TE.right(bytes),
  );

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a process with this id exists (one owned by another user counts). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

/**
 * Removes the temporary files a killed writer left beside `path`: exactly
 * `<name>.<pid>.<12 hex>.tmp`, regular files, whose process no longer exists. Best
 * effort: a file that cannot be removed stays.
 */
async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const pattern = new RegExp(`^${escapeRegExp(basename(path))}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    const file = join(dir, name);
    try {
      if ((await lstat(file)).isFile()) await unlink(file);
    } catch {
      // Another writer may have removed it first.
    }
  }
}

/**
 * Flushes a directory's entries, so that a rename into it survives a power cut. Best
 * effort: some platforms (Windows) cannot open a directory, and the data is safe anyway.
 */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Not supported here: the rename is still atomic, only its durability is the OS's.
  }
}

/**
 * Writes a file atomically: the bytes go to a temporary file beside it
 * (`<name>.<pid>.<hex>.tmp`), are flushed, and the temporary file is renamed over
 * `path`; on any failure it is removed, so `path` holds either its old content or the
 * complete new one.
 *
 * Only a regular file is ever replaced: when `path` is a symbolic link, a device, a
 * FIFO, a socket or a directory the write is refused with `UnsafeTarget` (a rename would
 * swap the node for a regular file; a symlink's target was never named by the caller, so
 * it is not followed). An existing file keeps its permission bits (and, where the
 * process may, its owner). Temporary files of the same target left by a killed writer
 * (whose process is gone) are removed first.
 * @example await writeAtomic('ckpt.safetensors', [bytes])();
 */
export const writeAtomic =
  (path: string, chunks: readonly Uint8Array[]): TE.TaskEither<DataError, void> =>
  async () => {
    if (typeof path !== 'string')
      return E.left({
        _tag: 'InvalidArgument',
        message: `expected a file path, got ${typeof path}`,
      });
    let existing: import('node:fs').Stats | undefined;
    try {
      existing = await lstat(path);
    } catch (e) {
      if (errorCode(e) !== 'ENOENT')
        return E.left({ _tag: 'WriteFailed', path, message: errorMessage(e) });
    }
    if (existing !== undefined && !existing.isFile()) {
      const kind = KIND.find(([is]) => is(existing))?.[1] ?? 'not a regular file';
      return E.left({ _tag: 'UnsafeTarget', path, reason: `it is ${kind}, not a regular file` });
    }
    await removeStaleTemps(path);
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const fh = await open(tmp, 'wx');
      try {
        if (existing !== undefined) {
          await fh.chmod(existing.mode & 0o7777);
          // Only root may give a file away; for anyone else the owner is already right.
          if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.())
            await fh.chown(existing.uid, existing.gid).catch(() => undefined);
        }
        for (const c of chunks) await fh.writeFile(c);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      await syncDirectory(dirname(path));
      return E.right(undefined);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      return E.left({ _tag: 'WriteFailed', path, message: errorMessage(e) });
    }
  };
