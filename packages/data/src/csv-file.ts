import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type CsvOptions, type CsvTable, parseCsv } from './csv';
import type { DataError } from './errors';
import { readBytes } from './file-io';

/**
 * Reads a numeric CSV file into a `[rows, columns]` array (see {@link parseCsv}).
 * @example
 * const table = await data.readCsv('iris.csv', { header: true })(); // Right({ columns, data })
 */
export const readCsv = (
  path: string,
  options: CsvOptions = {},
): TE.TaskEither<DataError, CsvTable> =>
  pipe(
    readBytes(path),
    TE.flatMapEither((bytes) => parseCsv(new TextDecoder().decode(bytes), options, path)),
  );
