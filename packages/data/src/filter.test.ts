import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { filter } from './filter';
import { fromGenerator } from './from-generator';
import { repeat } from './repeat';

describe('filter', () => {
  it('keeps matching elements, lazily, with unknown cardinality', async () => {
    let seen = 0;
    const ds = pipe(
      fromGenerator(
        function* () {
          for (let i = 0; i < 10; i++) {
            seen++;
            yield i;
          }
        },
        { cardinality: 10 },
      ),
      filter((x: number) => x % 3 === 0),
    );
    expect(seen).toBe(0);
    expect(ds.cardinality).toBeUndefined();
    expect(await collect(ds)).toEqual([0, 3, 6, 9]);
  });

  it('narrows with type guards, accepts async predicates and keeps Infinity', async () => {
    const ds = pipe(
      fromGenerator(() => [1, 'a', 2, 'b'] as (number | string)[]),
      filter((x): x is string => typeof x === 'string'),
    );
    const strings: string[] = await collect(ds);
    expect(strings).toEqual(['a', 'b']);
    const asyncKept = pipe(
      fromGenerator(() => [1, 2, 3]),
      filter(async (x: number) => x > 1),
    );
    expect(await collect(asyncKept)).toEqual([2, 3]);
    expect(
      pipe(
        fromGenerator(() => [1], { cardinality: 1 }),
        repeat(),
        filter(() => true),
      ).cardinality,
    ).toBe(Number.POSITIVE_INFINITY);
  });
});
