import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { fromGenerator } from './from-generator';
import { map } from './map';
import { prefetch } from './prefetch';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('prefetch', () => {
  it('yields the same elements in order', async () => {
    const ds = pipe(
      fromGenerator(() => [1, 2, 3, 4, 5], { cardinality: 5 }),
      prefetch(2),
    );
    expect(ds.cardinality).toBe(5);
    expect(await collect(ds)).toEqual([1, 2, 3, 4, 5]);
    expect(await collect(ds)).toEqual([1, 2, 3, 4, 5]);
  });

  it('requests upstream elements ahead while the consumer is busy', async () => {
    const started: number[] = [];
    const ds = pipe(
      fromGenerator(() => [0, 1, 2, 3, 4, 5]),
      map(async (x: number) => {
        started.push(x);
        await tick();
        return x;
      }),
      prefetch(3),
    );
    const it = ds[Symbol.asyncIterator]();
    expect(started).toEqual([]);
    expect((await it.next()).value).toBe(0);
    // While the consumer holds element 0, elements 1..3 are already under way.
    await tick();
    await tick();
    expect(started.length).toBeGreaterThanOrEqual(3);
    await it.return?.();
  });

  it('surfaces upstream errors at their element and stops cleanly on break', async () => {
    const failing = pipe(
      fromGenerator(function* () {
        yield 1;
        throw new Error('disk on fire');
      }),
      prefetch(4),
    );
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of failing) seen.push(x);
      })(),
    ).rejects.toThrow('disk on fire');
    expect(seen).toEqual([1]);
    for await (const x of pipe(
      fromGenerator(() => [1, 2, 3]),
      prefetch(2),
    )) {
      if (x === 1) break;
    }
  });
});
