import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { batch } from './batch';
import { collect, identityOrder, makeIndexedDataset, type Table } from './dataset';
import { fromArrays } from './from-arrays';
import { fromGenerator } from './from-generator';
import { map } from './map';
import { shuffle } from './shuffle';
import { skip } from './skip';
import { take } from './take';

const n = 10;
const x = jt.array(
  Float32Array.from({ length: n * 6 }, (_, i) => i),
  { shape: [n, 2, 3] },
);
const y = jt.arange(0, n, 1, { dtype: 'int32' });

describe('batch', () => {
  it('stacks leaves of a random-access dataset (last batch shorter)', async () => {
    const ds = pipe(fromArrays({ x, y }), batch(4));
    expect(ds.cardinality).toBe(3);
    const bs = await collect(ds);
    expect(bs.map((b) => b.x.shape)).toEqual([
      [4, 2, 3],
      [4, 2, 3],
      [2, 2, 3],
    ]);
    expect(bs[0]!.x.dtype).toBe('float32');
    expect(bs[1]!.y.toArray()).toEqual([4, 5, 6, 7]);
    expect(bs[1]!.x.data()[0]).toBe(24);
  });

  it('drops the remainder when asked', async () => {
    const ds = pipe(fromArrays({ x, y }), batch(4, { dropRemainder: true }));
    expect(ds.cardinality).toBe(2);
    expect((await collect(ds)).map((b) => b.y.shape[0])).toEqual([4, 4]);
  });

  it('gathers shuffled batches with the examples intact', async () => {
    const bs = await collect(pipe(fromArrays({ x, y }), shuffle(jt.random.key(1)), batch(3)));
    const seen: number[] = [];
    for (const b of bs) {
      const xs = b.x.data();
      const ys = b.y.data();
      ys.forEach((label, k) => {
        seen.push(label);
        expect(xs[k * 6]).toBe(label * 6);
      });
    }
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
  });

  it('stacks a stream, with numbers as float32 and booleans as bool', async () => {
    const ds = pipe(
      fromGenerator(function* () {
        for (let i = 0; i < 5; i++) yield { v: jt.array([i, i]), s: i, flag: i % 2 === 0 };
      }),
      batch(2),
    );
    expect(ds.cardinality).toBeUndefined();
    const bs = await collect(ds);
    expect(bs).toHaveLength(3);
    expect(bs[0]!.v.toArray()).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(bs[0]!.s.dtype).toBe('float32');
    expect(bs[0]!.flag.dtype).toBe('bool');
    expect(bs[2]!.s.toArray()).toEqual([4]);
  });

  it('produces the same batches through the stream path as through the gather path', async () => {
    const fast = await collect(pipe(fromArrays({ x, y }), shuffle(jt.random.key(3)), batch(4)));
    const slow = await collect(
      pipe(
        fromArrays({ x, y }),
        map((e) => e),
        shuffle(jt.random.key(3)),
        batch(4),
      ),
    );
    expect(slow.map((b) => b.x.toArray())).toEqual(fast.map((b) => b.x.toArray()));
    expect(slow.map((b) => b.y.dtype)).toEqual(fast.map((b) => b.y.dtype));
  });

  it('throws typed errors for examples that do not line up', async () => {
    const ragged = fromGenerator(function* () {
      yield jt.zeros([2]);
      yield jt.zeros([3]);
    });
    await expect(collect(pipe(ragged, batch(2)))).rejects.toThrow(jt.ShapeError);
    const mixed = fromGenerator(function* () {
      yield { a: 1 };
      yield { b: 1 };
    });
    await expect(collect(pipe(mixed, batch(2)))).rejects.toThrow(jt.ValueError);
    expect(() => batch(0)).toThrow(jt.ValueError);
  });

  it('uses the gather path after shuffle/take/skip: no per-example objects', async () => {
    let gets = 0;
    let gathers = 0;
    const table: Table<number> = {
      length: 100,
      get: (i) => {
        gets++;
        return i;
      },
      gather: (ix) => {
        gathers++;
        return jt.array(Int32Array.from(ix));
      },
    };
    const ds = pipe(
      makeIndexedDataset({ table, length: 100, order: () => identityOrder(100) }),
      shuffle(jt.random.key(0)),
      skip(4),
      take(64),
      batch(16),
    );
    const bs = await collect(ds);
    expect(bs).toHaveLength(4);
    expect(gets).toBe(0);
    expect(gathers).toBe(4);
  });
});
