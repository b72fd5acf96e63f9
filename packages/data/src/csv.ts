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

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Whether `s` is a decimal literal `[+-]digits[.digits][(e|E)[+-]digits]` (at least one
 * mantissa digit). One pass with no backtracking: the regular expression this replaces,
 * `\d+\.?\d*`, tried every split of a long digit run before failing, quadratic in the
 * field's length (a 64 KB field took 15 s).
 */
function isDecimal(s: string): boolean {
  let i = 0;
  const n = s.length;
  if (s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45) i++;
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  let digits = i - intStart;
  if (s.charCodeAt(i) === 46) {
    const fracStart = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    digits += i - fracStart;
  }
  if (digits === 0) return false;
  if (s.charCodeAt(i) === 101 || s.charCodeAt(i) === 69) {
    i++;
    if (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) i++;
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  return i === n;
}

const SPECIAL: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '+Infinity': Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** A field for an error message: long fields are cut, so the message stays one short line. */
const quoteField = (f: string): string =>
  JSON.stringify(f.length > 40 ? `${f.slice(0, 40)}…` : f) +
  (f.length > 40 ? ` (${f.length} characters)` : '');

const DTYPES = ['float32', 'float64', 'int32'] as const;

/** The options checked as a JS caller may pass anything: `InvalidArgument` names the bad one. */
function checkOptions(text: unknown, options: unknown): DataError | undefined {
  const bad = (message: string): DataError => ({
    _tag: 'InvalidArgument',
    message: `readCsv: ${message}`,
  });
  if (typeof text !== 'string') return bad(`the text must be a string, got ${typeof text}`);
  if (typeof options !== 'object' || options === null) return bad('options must be an object');
  const o = options as Record<string, unknown>;
  if (o.header !== undefined && typeof o.header !== 'boolean')
    return bad(`header must be true or false, got ${String(o.header)}`);
  if (o.dtype !== undefined && !DTYPES.includes(o.dtype as (typeof DTYPES)[number]))
    return bad(`dtype must be one of ${DTYPES.join(', ')}, got ${String(o.dtype)}`);
  if (o.missing !== undefined && typeof o.missing !== 'number')
    return bad(`missing must be a number, got ${typeof o.missing}`);
  const d = o.delimiter ?? ',';
  if (typeof d !== 'string' || d.length === 0 || d.includes('"') || /[\r\n]/.test(d))
    return bad(`unusable delimiter ${JSON.stringify(d)}`);
  return undefined;
}

/**
 * Parses numeric CSV text into a `[rows, columns]` array. Blank lines are skipped;
 * every row must have as many fields as the first (`CountMismatch`), and every field
 * must be a number (`ParseError` with line and column), so no array is silently wrong.
 * `NaN`, `Infinity` and `-Infinity` are accepted as written. Parsing is linear in the
 * text's length; options a JS caller got wrong are `InvalidArgument`, never a throw.
 * @example parseCsv('a,b\n1,2\n3,4\n'); // Right({ columns: ['a', 'b'], data: [[1, 2], [3, 4]] })
 */
export function parseCsv(
  text: string,
  options: CsvOptions = {},
  path = '',
): E.Either<DataError, CsvTable> {
  const invalid = checkOptions(text, options);
  if (invalid !== undefined) return E.left(invalid);
  const delimiter = options.delimiter ?? ',';
  const dtype = options.dtype ?? 'float32';
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
        const special = Object.hasOwn(SPECIAL, f) ? SPECIAL[f] : undefined;
        if (special === undefined && !isDecimal(f)) {
          return E.left({
            _tag: 'ParseError',
            path,
            line: li + 1,
            column,
            message: `not a number: ${quoteField(f)}`,
          });
        }
        v = special ?? Number(f);
        if (dtype === 'int32' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) {
          return E.left({
            _tag: 'ParseError',
            path,
            line: li + 1,
            column,
            message: `not an int32: ${quoteField(f)}`,
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
