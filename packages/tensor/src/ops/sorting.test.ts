import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const f32 = (v: jt.NestedArray) => jt.array(v);
const i32 = (v: jt.NestedArray) => jt.array(v, { dtype: 'int32' });

describe('sort and argsort', () => {
  it('sort ascending along the last axis by default, or any axis', () => {
    expect(
      jt
        .sort(
          f32([
            [3, 1, 2],
            [0, -1, 5],
          ]),
        )
        .toArray(),
    ).toEqual([
      [1, 2, 3],
      [-1, 0, 5],
    ]);
    expect(
      jt
        .sort(
          f32([
            [3, 1],
            [1, 2],
          ]),
          { axis: 0 },
        )
        .toArray(),
    ).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(jt.sort(i32([0, -2147483648, 5])).toArray()).toEqual([-2147483648, 0, 5]);
    expect(jt.sort(i32([3, 1])).dtype).toBe('int32');
  });

  it('puts NaN last', () => {
    const s = Array.from(jt.sort(f32([3, NaN, 1, 2])).data());
    expect(s.slice(0, 3)).toEqual([1, 2, 3]);
    expect(s[3]).toBeNaN();
  });

  it('argsort is stable and int32', () => {
    const a = jt.argsort(
      f32([
        [3, 1, 2],
        [1, 1, 0],
      ]),
    );
    expect(a.dtype).toBe('int32');
    expect(a.toArray()).toEqual([
      [1, 2, 0],
      [2, 0, 1],
    ]);
    expect(
      jt
        .argsort(
          f32([
            [2, 1],
            [1, 1],
            [0, 1],
          ]),
          { axis: 0 },
        )
        .toArray(),
    ).toEqual([
      [2, 0],
      [1, 1],
      [0, 2],
    ]);
  });
});

describe('topK', () => {
  it('returns the k largest, largest first, with indices (first on ties)', () => {
    const [v, i] = jt.topK(
      f32([
        [3, 1, 2],
        [0, 5, 4],
      ]),
      2,
    );
    expect(v.toArray()).toEqual([
      [3, 2],
      [5, 4],
    ]);
    expect(i.toArray()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const [tv, ti] = jt.topK(f32([1, 3, 3, 2]), 3);
    expect(tv.toArray()).toEqual([3, 3, 2]);
    expect(ti.toArray()).toEqual([1, 2, 3]);
  });

  it('keeps the dtype, including int32 extremes and bool', () => {
    const [v, i] = jt.topK(i32([0, -2147483648, 5]), 3);
    expect(v.dtype).toBe('int32');
    expect(v.toArray()).toEqual([5, 0, -2147483648]);
    expect(i.toArray()).toEqual([2, 0, 1]);
    const [b] = jt.topK(jt.array([false, true, true]), 2);
    expect(b.dtype).toBe('bool');
    expect(b.toArray()).toEqual([true, true]);
  });

  it('k = 0 gives empty results; k out of range is a ValueError', () => {
    expect(jt.topK(f32([1, 2]), 0)[0].shape).toEqual([0]);
    expect(() => jt.topK(f32([1, 2]), 3)).toThrow('topK: k must be in [0, 2], got 3');
  });
});
