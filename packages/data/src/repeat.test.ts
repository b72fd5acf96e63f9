import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { fromArrays } from './from-arrays';
import { fromGenerator } from './from-generator';
import { repeat } from './repeat';
import { shuffle } from './shuffle';
import { take } from './take';

const ids = (n: number) => fromArrays(jt.arange(0, n, 1, { dtype: 'int32' }));
const items = async (ds: AsyncIterable<jt.Array>) => {
  const out: number[] = [];
  for await (const a of ds) out.push(a.item() as number);
  return out;
};

describe('repeat', () => {
  it('repeats a finite number of times, with cardinality', async () => {
    const ds = pipe(ids(3), repeat(2));
    expect(ds.cardinality).toBe(6);
    expect(await items(ds)).toEqual([0, 1, 2, 0, 1, 2]);
    const stream = pipe(
      fromGenerator(() => [1, 2], { cardinality: 2 }),
      repeat(3),
    );
    expect(stream.cardinality).toBe(6);
    expect(await collect(stream)).toEqual([1, 2, 1, 2, 1, 2]);
  });

  it('repeats forever when no count is given (cut with take)', async () => {
    const ds = pipe(
      fromGenerator(() => [7, 8]),
      repeat(),
    );
    expect(await collect(pipe(ds, take(5)))).toEqual([7, 8, 7, 8, 7]);
    expect(pipe(ids(2), repeat()).cardinality).toBe(Number.POSITIVE_INFINITY);
  });

  it('reshuffles each repetition, reproducibly, on both paths', async () => {
    const key = jt.random.key(5);
    const fast = await items(pipe(ids(20), shuffle(key), repeat(2)));
    expect(fast.slice(0, 20)).not.toEqual(fast.slice(20));
    expect([...fast.slice(20)].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    const endless = await items(pipe(ids(20), shuffle(key), repeat(), take(40)));
    expect(endless).toEqual(fast);
  });

  it('ends an endless repeat of an empty dataset', async () => {
    expect(
      await collect(
        pipe(
          fromGenerator(() => []),
          repeat(),
        ),
      ),
    ).toEqual([]);
  });
});
