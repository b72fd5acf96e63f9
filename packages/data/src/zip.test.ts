import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { fromArrays } from './from-arrays';
import { fromGenerator } from './from-generator';
import { zip } from './zip';

describe('zip', () => {
  it('pairs tuples and records, stopping at the shortest', async () => {
    const a = fromGenerator(() => [1, 2, 3], { cardinality: 3 });
    const b = fromGenerator(() => ['x', 'y'], { cardinality: 2 });
    const pairs = zip([a, b]);
    expect(pairs.cardinality).toBe(2);
    expect(await collect(pairs)).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
    const named = zip({ n: a, s: b });
    const first = (await collect(named))[0]!;
    const n: number = first.n;
    const s: string = first.s;
    expect([n, s]).toEqual([1, 'x']);
  });

  it('zips random-access datasets and unknown cardinalities', async () => {
    const x = fromArrays(jt.array([[1], [2]]));
    const z = zip({ x, i: fromGenerator(() => [10, 20, 30]) });
    expect(z.cardinality).toBeUndefined();
    const all = await collect(z);
    expect(all.map((e) => [e.x.toArray(), e.i])).toEqual([
      [[1], 10],
      [[2], 20],
    ]);
  });
});
