import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { batch } from './batch';
import { collect } from './dataset';
import { epoch } from './epoch';
import { fromArrays } from './from-arrays';
import { mapWithKey } from './map-with-key';
import { repeat } from './repeat';

const words = (k: jt.Array) => Array.from(k.data());

describe('mapWithKey', () => {
  const key = jt.random.key(7);
  const ds = pipe(
    fromArrays({ v: jt.arange(6) }),
    batch(2),
    mapWithKey(key, (b, k, i) => ({ v: b.v, k: words(k), i })),
  );

  it('gives element i of epoch e the key foldIn(foldIn(key, e), i)', async () => {
    for (const e of [0, 3]) {
      const got = await collect(epoch(ds, e));
      expect(got.map((g) => g.i)).toEqual([0, 1, 2]);
      got.forEach((g, i) => {
        expect(g.k).toEqual(words(jt.random.foldIn(jt.random.foldIn(key, e), i)));
      });
    }
  });

  it('is reproducible within an epoch, new in each epoch, distinct per element', async () => {
    const a = (await collect(ds)).map((g) => g.k.join());
    expect((await collect(ds)).map((g) => g.k.join())).toEqual(a);
    expect(new Set(a).size).toBe(3);
    const b = (await collect(epoch(ds, 1))).map((g) => g.k.join());
    b.forEach((k, i) => {
      expect(k).not.toBe(a[i]);
    });
  });

  it('folds the repetition index in too, and keeps the cardinality', async () => {
    const twice = pipe(
      fromArrays({ v: jt.arange(2) }),
      mapWithKey(key, (_x, k) => words(k).join()),
      repeat(2),
    );
    const got = await collect(twice);
    expect(new Set(got).size).toBe(4);
    expect(ds.cardinality).toBe(3);
  });
});
