import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, formatDataError } from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, type Mnist, parseDigitJson } from './mnist';

const counts = (labels: ArrayLike<number>): number[] => {
  const c = new Array(10).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i]!]++;
  return c;
};

describe('loadMnist (bundled digits)', () => {
  let mnist: Mnist;
  beforeAll(async () => {
    const r = await loadMnist()();
    if (E.isLeft(r)) throw new Error(formatDataError(r.left));
    mnist = r.right;
  });

  it('gives an 8000/2000 split of float32 NHWC images in [0, 1] and int32 labels', () => {
    const { train, test } = mnist;
    expect(train.images.shape).toEqual([8000, 28, 28, 1]);
    expect(test.images.shape).toEqual([2000, 28, 28, 1]);
    expect(train.images.dtype).toBe('float32');
    expect(train.labels.dtype).toBe('int32');
    expect(test.labels.shape).toEqual([2000]);
    const px = train.images.data();
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (const v of px) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      sum += v;
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    // Real digits: mostly background, about 13% ink on average.
    expect(sum / px.length).toBeGreaterThan(0.08);
    expect(sum / px.length).toBeLessThan(0.2);
  });

  it('is stratified: each class keeps its share in train and test', () => {
    const tr = counts(mnist.train.labels.data());
    const te = counts(mnist.test.labels.data());
    const all = tr.map((c, k) => c + te[k]!);
    expect(all).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    te.forEach((c, k) => {
      expect(Math.abs(c - all[k]! * 0.2)).toBeLessThanOrEqual(1);
    });
  });

  it('is shuffled, not sorted by class', () => {
    const first = [...mnist.train.labels.data().subarray(0, 50)];
    expect(new Set(first).size).toBeGreaterThan(5);
  });

  it('is deterministic in the seed; other sizes keep proportions', async () => {
    const again = await loadMnist({ seed: 0, trainSize: 900, testSize: 100 })();
    const other = await loadMnist({ seed: 1, trainSize: 900, testSize: 100 })();
    if (E.isLeft(again) || E.isLeft(other)) throw new Error('load failed');
    expect(again.right.train.images.shape).toEqual([900, 28, 28, 1]);
    expect(counts(again.right.test.labels.data()).reduce((a, b) => a + b)).toBe(100);
    expect([...again.right.train.labels.data()]).not.toEqual([...other.right.train.labels.data()]);
    const bad = await loadMnist({ trainSize: 9000, testSize: 2000 })();
    expect(E.isLeft(bad) && bad.left._tag).toBe('InvalidArgument');
  });
});

describe('the digit files', () => {
  it('parses the package JSON format and rejects anything else', () => {
    expect(parseDigitJson('{ "data": [0,0.5, 1,2e-1] }', 'd')).toEqual(
      E.right(Float32Array.of(0, 0.5, 1, 0.2)),
    );
    expect(E.isLeft(parseDigitJson('[1,2]', 'd'))).toBe(true);
    const bad = parseDigitJson('{"data": [0,x,1]}', 'd');
    expect(E.isLeft(bad) && bad.left._tag).toBe('ParseError');
  });
});

describe('loadMnist({ dir })', () => {
  const n = 3;
  const img = (count: number) =>
    encodeIdx({
      type: 'uint8',
      shape: [count, 28, 28],
      data: Uint8Array.from({ length: count * 784 }, (_, i) => i % 256),
    });
  const lab = (values: number[]) =>
    encodeIdx({ type: 'uint8', shape: [values.length], data: Uint8Array.from(values) });

  it('reads the four IDX files, gzipped or not, scaled to [0, 1]', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jute-mnist-'));
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(img(n)));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), lab([5, 0, 4]));
    await writeFile(join(dir, 't10k-images.idx3-ubyte'), img(2));
    await writeFile(join(dir, 't10k-labels.idx1-ubyte.gz'), gzipSync(lab([7, 2])));
    const r = await loadMnist({ dir })();
    if (E.isLeft(r)) throw new Error(formatDataError(r.left));
    expect(r.right.train.images.shape).toEqual([3, 28, 28, 1]);
    expect([...r.right.train.labels.data()]).toEqual([5, 0, 4]);
    expect([...r.right.test.labels.data()]).toEqual([7, 2]);
    const px = r.right.train.images.data();
    expect(px[255]).toBe(1);
    expect(px[51]).toBeCloseTo(51 / 255, 6);
  });

  it('reports missing files, count mismatches and bad labels', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jute-mnist-'));
    const missing = await loadMnist({ dir })();
    expect(missing).toEqual(
      E.left({ _tag: 'FileNotFound', path: join(dir, 'train-images-idx3-ubyte') }),
    );
    await writeFile(join(dir, 'train-images-idx3-ubyte'), img(n));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), lab([1, 2]));
    const mismatch = await loadMnist({ dir })();
    expect(E.isLeft(mismatch) && mismatch.left._tag).toBe('CountMismatch');
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), lab([1, 2, 12]));
    const range = await loadMnist({ dir })();
    expect(E.isLeft(range) && range.left._tag).toBe('ValueOutOfRange');
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), img(3));
    const rank = await loadMnist({ dir })();
    expect(E.isLeft(rank) && rank.left._tag).toBe('MalformedHeader');
  });
});
