import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { epoch } from './epoch';
import { fromArrays } from './from-arrays';
import { fromGenerator } from './from-generator';
import { shuffle } from './shuffle';

const n = 50;
const ids = jt.arange(0, n, 1, { dtype: 'int32' });
const values = async (ds: AsyncIterable<jt.Array>): Promise<number[]> => {
  const out: number[] = [];
  for await (const v of ds) out.push(v.item() as number);
  return out;
};

describe('shuffle', () => {
  const key = jt.random.key(42);

  it('is a permutation, the same on every pass and for the same key', async () => {
    const ds = pipe(fromArrays(ids), shuffle(key));
    const a = await values(ds);
    expect([...a].sort((p, q) => p - q)).toEqual([...Array(n).keys()]);
    expect(a).not.toEqual([...Array(n).keys()]);
    expect(await values(ds)).toEqual(a);
    expect(await values(pipe(fromArrays(ids), shuffle(jt.random.key(42))))).toEqual(a);
    expect(await values(pipe(fromArrays(ids), shuffle(jt.random.key(43))))).not.toEqual(a);
  });

  it('reshuffles per epoch, reproducibly; epoch 0 is the plain order', async () => {
    const ds = pipe(fromArrays(ids), shuffle(key));
    const e0 = await values(ds);
    expect(await values(epoch(ds, 0))).toEqual(e0);
    const e1 = await values(epoch(ds, 1));
    expect(e1).not.toEqual(e0);
    expect(await values(epoch(ds, 1))).toEqual(e1);
    expect(new Set(e1).size).toBe(n);
  });

  it('gives the same order for a stream and a random-access dataset', async () => {
    const stream = fromGenerator(function* () {
      for (let i = 0; i < n; i++) yield jt.array(i, { dtype: 'int32' });
    });
    for (const bufferSize of [1, 7, Number.POSITIVE_INFINITY]) {
      const a = await values(epoch(pipe(fromArrays(ids), shuffle(key, { bufferSize })), 3));
      const b = await values(epoch(pipe(stream, shuffle(key, { bufferSize })), 3));
      expect(b).toEqual(a);
    }
  });

  it('with a small buffer only shuffles locally; bufferSize 1 keeps the order', async () => {
    expect(await values(pipe(fromArrays(ids), shuffle(key, { bufferSize: 1 })))).toEqual([
      ...Array(n).keys(),
    ]);
    const local = await values(pipe(fromArrays(ids), shuffle(key, { bufferSize: 4 })));
    // The first output can only come from the first 5 inputs.
    expect(local[0]).toBeLessThan(5);
    expect(new Set(local).size).toBe(n);
  });

  it('is lazy and validates its buffer size', async () => {
    let pulled = 0;
    const ds = pipe(
      fromGenerator(function* () {
        for (let i = 0; i < 10; i++) {
          pulled++;
          yield i;
        }
      }),
      shuffle(key, { bufferSize: 3 }),
    );
    expect(pulled).toBe(0);
    const it = ds[Symbol.asyncIterator]();
    await it.next();
    expect(pulled).toBe(4);
    await it.return?.();
    expect(() => shuffle(key, { bufferSize: 0 })).toThrow(jt.ValueError);
    expect(await collect(ds)).toHaveLength(10);
  });
});
