import { open, readFile, truncate } from 'node:fs/promises';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TuneError } from './errors';
import { completeLines, type JournalStorage } from './journal';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const code = (e: unknown): unknown =>
  typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;

/**
 * A study journal in a JSON-lines file, for studies that survive a crash. Each record is
 * appended by one `write` on a descriptor opened with `O_APPEND`, so records never
 * interleave and a `kill -9` can at worst leave a torn last line, which reading ignores
 * (and cuts off before appending). With `{ sync: true }` each append is also flushed to
 * the disk (`fdatasync`), which protects against power loss too, at a cost per record.
 * A missing file is an empty journal; it is created on the first append.
 * @example
 * import { fileJournal } from '@jute/tune/node';
 * const study = await tune.createStudy({ space, key, journal: fileJournal('study.jsonl') })();
 */
export function fileJournal(
  path: string,
  options: { readonly sync?: boolean } = {},
): JournalStorage {
  const readFailed = (e: unknown): TuneError => ({ _tag: 'ReadFailed', path, message: message(e) });
  const writeFailed = (e: unknown): TuneError => ({
    _tag: 'WriteFailed',
    path,
    message: message(e),
  });
  return {
    path,
    open: () =>
      TE.tryCatch(async () => {
        let text: string;
        try {
          text = await readFile(path, 'utf8');
        } catch (e) {
          if (code(e) === 'ENOENT') return '';
          throw e;
        }
        const whole = completeLines(text);
        if (whole.length < text.length) await truncate(path, Buffer.byteLength(whole, 'utf8'));
        return whole;
      }, readFailed),
    append: (text) =>
      TE.tryCatch(async () => {
        const handle = await open(path, 'a');
        try {
          await handle.write(text);
          if (options.sync) await handle.datasync();
        } finally {
          await handle.close();
        }
      }, writeFailed),
  };
}
