import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from './errors';

/**
 * Options of {@link readCsv} and {@link parseCsv}.
 * @example readCsv('data.csv', { header: false, delimiter: ';', dtype: 'float64', missing: Number.NaN })
 */
export interface CsvOptions {
  /** The first row names the columns (default `true`). */
  readonly header?: boolean;
  /** Field separator (default `','`). */
  readonly delimiter?: string;
  /** dtype of the result (default `float32`); int32 rejects non-integers. */
  readonly dtype?: 'float32' | 'float64' | 'int32';
  /** Value for empty fields; without it an empty field is a `ParseError`. */
  readonly missing?: number;
}

/**
 * A numeric table: `data` is `[rows, columns]`; `columns` holds the header names (or `undefined`).
 * @example const { columns, data } = table; // data: [rows, columns]
 */
export interface CsvTable {
  readonly columns: readonly string[] | undefined;
  readonly data: jt.Array;
}

const unquote = (s: string): string => {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"')
    ? t.slice(1, -1).replace(/""/g, '"').trim()
    : t;
};

/**
 * Parses numeric CSV text into a `[rows, columns]` array. Blank lines are skipped;
 * every row must have as many fields as the first (`CountMismatch`), and every field
 * must be a number (`ParseError` with line and column), so no array is silently wrong.
 * `NaN`, `Infinity` and `-Infinity` are accepted as written.
 * @example parseCsv('a,b\n1,2\n3,4\n'); // Right({ columns: ['a', 'b'], data: [[1, 2], [3, 4]] })
 */
export function parseCsv(
  text: string,
  options: CsvOptions = {},
  path = '',
): E.Either<DataError, CsvTable> {
  const delimiter = options.delimiter ?? ',';
  const dtype = options.dtype ?? 'float32';
  if (delimiter.length === 0 || delimiter === '"' || delimiter === '\n') {
    return E.left({
      _tag: 'InvalidArgument',
      message: `readCsv: unusable delimiter ${JSON.stringify(delimiter)}`,
    });
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let columns: string[] | undefined;
  let width: number | undefined;
  const values: number[] = [];
  let rows = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const fields = line.split(delimiter);
    if ((options.header ?? true) && columns === undefined) {
      columns = fields.map(unquote);
      width = fields.length;
      continue;
    }
    width ??= fields.length;
    if (fields.length !== width) {
      return E.left({
        _tag: 'CountMismatch',
        path,
        what: `fields on line ${li + 1}`,
        expected: width,
        actual: fields.length,
      });
    }
    let column = 1;
    for (const raw of fields) {
      const f = unquote(raw);
      let v: number;
      if (f === '') {
        if (options.missing === undefined) {
          return E.left({
            _tag: 'ParseError',
            path,
            line: li + 1,
            column,
            message: 'empty field (set `missing` to allow)',
          });
        }
        v = options.missing;
      } else {
        v = /^[+-]?Infinity$|^NaN$/.test(f)
          ? Number(f)
          : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(f)
            ? Number(f)
            : Number.NaN;
        if (Number.isNaN(v) && f !== 'NaN') {
          return E.left({
            _tag: 'ParseError',
            path,
            line: li + 1,
            column,
            message: `not a number: ${JSON.stringify(f)}`,
          });
        }
        if (dtype === 'int32' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) {
          return E.left({
            _tag: 'ParseError',
            path,
            line: li + 1,
            column,
            message: `not an int32: ${JSON.stringify(f)}`,
          });
        }
      }
      values.push(v);
      column += raw.length + delimiter.length;
    }
    rows++;
  }
  const cols = width ?? 0;
  const buf =
    dtype === 'float64'
      ? Float64Array.from(values)
      : dtype === 'int32'
        ? Int32Array.from(values)
        : Float32Array.from(values);
  return E.right({ columns, data: jt.array(buf, { shape: [rows, cols], dtype }) });
}
