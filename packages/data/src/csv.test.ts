import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { readCsv } from './csv-file';

describe('CSV', () => {
  it('reads a file with a header into a [rows, cols] float32 array', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jute-csv-'));
    const path = join(dir, 'a.csv');
    await writeFile(path, '\uFEFFsepal,"petal width",class\r\n5.1,3.5,0\r\n4.9,-3e-1,1\r\n\r\n');
    const r = await readCsv(path, { header: true })();
    if (E.isLeft(r)) throw new Error(r.left._tag);
    expect(r.right.columns).toEqual(['sepal', 'petal width', 'class']);
    expect(r.right.data.shape).toEqual([2, 3]);
    expect(r.right.data.dtype).toBe('float32');
    expect([...r.right.data.data()]).toEqual([...Float32Array.of(5.1, 3.5, 0, 4.9, -0.3, 1)]);
  });

  it('reads headerless data, other delimiters and dtypes, and missing values', () => {
    const r = parseCsv('1;2\n3;4\n', { header: false, delimiter: ';', dtype: 'int32' });
    if (E.isLeft(r)) throw new Error(r.left._tag);
    expect(r.right.columns).toBeUndefined();
    expect(r.right.data.dtype).toBe('int32');
    expect(r.right.data.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const m = parseCsv('a,b\n1,\nNaN,-Infinity', { missing: -1, dtype: 'float64' });
    if (E.isLeft(m)) throw new Error(m.left._tag);
    expect([...m.right.data.data()]).toEqual([1, -1, Number.NaN, Number.NEGATIVE_INFINITY]);
    const empty = parseCsv('a,b\n');
    expect(E.isRight(empty) && empty.right.data.shape).toEqual([0, 2]);
  });

  it('rejects ragged rows, non-numbers, empty fields and bad ints with positions', async () => {
    expect(parseCsv('a,b\n1,2\n3\n', {}, 'f.csv')).toEqual(
      E.left({
        _tag: 'CountMismatch',
        path: 'f.csv',
        what: 'fields on line 3',
        expected: 2,
        actual: 1,
      }),
    );
    const bad = parseCsv('a,b\n1,2\n3,x4\n', {}, 'f.csv');
    expect(E.isLeft(bad) && bad.left).toMatchObject({ _tag: 'ParseError', line: 3, column: 3 });
    const emptyField = parseCsv('1,,2', { header: false });
    expect(E.isLeft(emptyField) && emptyField.left._tag).toBe('ParseError');
    const notInt = parseCsv('1.5', { header: false, dtype: 'int32' });
    expect(E.isLeft(notInt) && notInt.left._tag).toBe('ParseError');
    expect(E.isLeft(parseCsv('1', { delimiter: '' }))).toBe(true);
    const missing = await readCsv('/nonexistent/jute.csv')();
    expect(missing).toEqual(E.left({ _tag: 'FileNotFound', path: '/nonexistent/jute.csv' }));
  });
});
