import { describe, expect, it } from 'vitest';
import { type DataError, dataErrorToError, formatDataError } from './errors';

const all: DataError[] = [
  { _tag: 'FileNotFound', path: 'a' },
  { _tag: 'ReadFailed', path: 'a', message: 'EACCES' },
  { _tag: 'WriteFailed', path: 'a', message: 'ENOSPC' },
  { _tag: 'DecompressFailed', path: 'a.gz', message: 'unexpected end of file' },
  { _tag: 'BadMagic', path: 'a', expected: '00 00', actual: '01 02' },
  { _tag: 'Truncated', path: 'a', expectedBytes: 10, actualBytes: 4 },
  { _tag: 'TrailingBytes', path: 'a', expectedBytes: 10, actualBytes: 12 },
  { _tag: 'CountMismatch', path: 'a', what: 'labels', expected: 3, actual: 2 },
  { _tag: 'MalformedHeader', path: '', reason: 'not JSON' },
  { _tag: 'OffsetOutOfRange', path: 'a', key: 'w', begin: 0, end: 9, dataLength: 4 },
  { _tag: 'UnsupportedDType', path: 'a', key: 'w', dtype: 'F16' },
  { _tag: 'DTypeMismatch', key: 'w', expected: 'float32', actual: 'int32' },
  { _tag: 'ShapeMismatch', key: 'w', expected: [2, 3], actual: [3] },
  { _tag: 'MissingTensor', key: 'w' },
  { _tag: 'UnexpectedTensor', key: 'w' },
  { _tag: 'ParseError', path: 'a.csv', line: 3, column: 4, message: 'not a number' },
  { _tag: 'ValueOutOfRange', path: 'a', index: 2, value: 12, min: 0, max: 9 },
  { _tag: 'UnknownCharacter', char: 'é', position: 5 },
  { _tag: 'InvalidArgument', message: 'bad' },
  { _tag: 'TooLarge', path: 'a.gz', what: 'gunzipped size', limit: 10, actual: 11 },
  { _tag: 'UnsafeTarget', path: 'a', reason: 'it is a FIFO, not a regular file' },
];

describe('formatDataError', () => {
  it('gives one line per error, starting with its tag', () => {
    for (const e of all) {
      const line = formatDataError(e);
      expect(line.startsWith(`${e._tag}: `)).toBe(true);
      expect(line).not.toContain('\n');
    }
    expect(
      formatDataError({ _tag: 'ShapeMismatch', key: 'w', expected: [2, 3], actual: [3] }),
    ).toBe("ShapeMismatch: 'w': shape [3] where [2,3] was expected");
    expect(formatDataError({ _tag: 'MalformedHeader', path: '', reason: 'x' })).toContain(
      '<memory>',
    );
  });

  it('wraps an error value in an Error for scripts that prefer to throw', () => {
    const e = dataErrorToError({ _tag: 'FileNotFound', path: 'x' });
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('FileNotFound: x: no such file');
    expect(e.dataError._tag).toBe('FileNotFound');
  });
});
