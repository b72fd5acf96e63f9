import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { fromArrays } from './from-arrays';
import { fromGenerator } from './from-generator';
import { take } from './take';

const counting = () => {
  const state = { pulled: 0 };
  const ds = fromGenerator(function* () {
    for (let i = 0; i < 100; i++) {
      state.pulled++;
      yield i;
    }
  });
  return { ds, state };
};

describe('take', () => {
  it('keeps the first n elements and pulls no more than n', async () => {
    const { ds, state } = counting();
    const first = pipe(ds, take(3));
    expect(state.pulled).toBe(0);
    expect(await collect(first)).toEqual([0, 1, 2]);
    expect(state.pulled).toBe(3);
    expect(await collect(pipe(ds, take(0)))).toEqual([]);
    expect(state.pulled).toBe(3);
  });

  it('takes on random-access datasets by index and tracks cardinality', async () => {
    const ds = pipe(fromArrays(jt.arange(0, 10, 1, { dtype: 'int32' })), take(4));
    expect(ds.cardinality).toBe(4);
    expect((await collect(ds)).map((a) => a.item())).toEqual([0, 1, 2, 3]);
    expect(pipe(fromArrays(jt.zeros([3, 1])), take(10)).cardinality).toBe(3);
  });

  it('rejects negative counts', () => {
    expect(() => take(-1)).toThrow(jt.ValueError);
  });
});
