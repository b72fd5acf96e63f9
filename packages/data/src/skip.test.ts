import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { fromArrays } from './from-arrays';
import { fromGenerator } from './from-generator';
import { skip } from './skip';

describe('skip', () => {
  it('drops the first n elements of a stream', async () => {
    const ds = fromGenerator(() => [1, 2, 3, 4], { cardinality: 4 });
    const rest = pipe(ds, skip(2));
    expect(rest.cardinality).toBe(2);
    expect(await collect(rest)).toEqual([3, 4]);
    expect(await collect(pipe(ds, skip(10)))).toEqual([]);
  });

  it('skips by index on random-access datasets', async () => {
    const ds = pipe(fromArrays(jt.arange(0, 5, 1, { dtype: 'int32' })), skip(3));
    expect(ds.indexed).toBeDefined();
    expect((await collect(ds)).map((a) => a.item())).toEqual([3, 4]);
    expect(() => skip(1.5)).toThrow(jt.ValueError);
  });
});
