import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, type IdxData, parseIdx } from './idx';
import { readIdx, readIdxRaw } from './idx-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jute-idx-'));
});

const images: IdxData = {
  type: 'uint8',
  shape: [2, 2, 3],
  data: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]),
};

describe('IDX', () => {
  it('round-trips every element type through encodeIdx/parseIdx', () => {
    const cases: IdxData[] = [
      images,
      { type: 'int8', shape: [3], data: Int8Array.from([-128, 0, 127]) },
      { type: 'int16', shape: [2], data: Int16Array.from([-30000, 1234]) },
      { type: 'int32', shape: [1, 2], data: Int32Array.from([-2147483648, 2147483647]) },
      { type: 'float32', shape: [2], data: Float32Array.from([1.5, -0.25]) },
      { type: 'float64', shape: [2], data: Float64Array.from([Math.PI, -1e300]) },
    ];
    for (const c of cases) {
      const back = parseIdx(encodeIdx(c));
      expect(back).toEqual(E.right(c));
    }
  });

  it('stores dimensions and data big-endian, as the MNIST files do', () => {
    const bytes = encodeIdx({ type: 'int32', shape: [1], data: Int32Array.of(0x01020304) });
    expect([...bytes]).toEqual([0, 0, 0x0c, 1, 0, 0, 0, 1, 1, 2, 3, 4]);
  });

  it('reads plain and gzipped files into int32 arrays', async () => {
    const bytes = encodeIdx(images);
    await writeFile(join(dir, 'x-idx3-ubyte'), bytes);
    await writeFile(join(dir, 'x-idx3-ubyte.gz'), gzipSync(bytes));
    for (const name of ['x-idx3-ubyte', 'x-idx3-ubyte.gz']) {
      const r = await readIdx(join(dir, name))();
      if (E.isLeft(r)) throw new Error(r.left._tag);
      expect(r.right.shape).toEqual([2, 2, 3]);
      expect(r.right.dtype).toBe('int32');
      expect([...r.right.data()]).toEqual([...images.data]);
    }
    const floats = encodeIdx({ type: 'float32', shape: [2], data: Float32Array.of(0.5, 2) });
    await writeFile(join(dir, 'f.idx'), floats);
    const f = await readIdx(join(dir, 'f.idx'))();
    expect(E.isRight(f) && f.right.dtype).toBe('float32');
  });

  it('rejects bad magic, truncation and trailing bytes with typed errors', () => {
    const good = encodeIdx(images);
    const tag = (b: Uint8Array) =>
      E.isLeft(parseIdx(b, 'f')) ? (parseIdx(b, 'f') as E.Left<{ _tag: string }>).left._tag : 'ok';
    expect(tag(good)).toBe('ok');
    expect(tag(good.subarray(0, 3))).toBe('Truncated');
    expect(tag(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]))).toBe('BadMagic');
    expect(tag(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 0]))).toBe('BadMagic');
    expect(tag(good.subarray(0, 10))).toBe('Truncated'); // inside the dimensions
    expect(tag(good.subarray(0, good.length - 1))).toBe('Truncated'); // inside the data
    expect(tag(Uint8Array.from([...good, 0]))).toBe('TrailingBytes');
    const r = parseIdx(good.subarray(0, good.length - 1), 'f');
    expect(r).toEqual(
      E.left({
        _tag: 'Truncated',
        path: 'f',
        expectedBytes: good.length,
        actualBytes: good.length - 1,
      }),
    );
  });

  it('reports missing files and corrupt gzip data', async () => {
    expect(await readIdxRaw(join(dir, 'nope'))()).toEqual(
      E.left({ _tag: 'FileNotFound', path: join(dir, 'nope') }),
    );
    const gz = gzipSync(encodeIdx(images));
    await writeFile(join(dir, 'bad.gz'), gz.subarray(0, 12));
    const r = await readIdxRaw(join(dir, 'bad.gz'))();
    expect(E.isLeft(r) && r.left._tag).toBe('DecompressFailed');
  });
});
