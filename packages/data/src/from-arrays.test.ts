import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { fromArrays } from './from-arrays';
import { take } from './take';

const x = jt.array([
  [1, 2],
  [3, 4],
  [5, 6],
]);
const y = jt.array([7, 8, 9], { dtype: 'int32' });

describe('fromArrays', () => {
  it('slices every leaf along axis 0 into per-example pytrees', async () => {
    const ds = fromArrays({ x, y });
    expect(ds.cardinality).toBe(3);
    const all = await collect(ds);
    expect(all).toHaveLength(3);
    expect(all[1]!.x.shape).toEqual([2]);
    expect(all[1]!.x.toArray()).toEqual([3, 4]);
    expect(all[1]!.y.shape).toEqual([]);
    expect(all[1]!.y.dtype).toBe('int32');
    expect(all[1]!.y.item()).toBe(8);
  });

  it('is re-iterable: each pass starts from the beginning', async () => {
    const ds = fromArrays({ x, y });
    const a = (await collect(ds)).map((e) => e.y.item());
    const b: unknown[] = [];
    for await (const e of ds) b.push(e.y.item());
    expect(a).toEqual([7, 8, 9]);
    expect(b).toEqual(a);
  });

  it('accepts nested trees and a bare array', async () => {
    const nested = await collect(fromArrays({ inputs: [x, x], meta: { y } }));
    expect(nested[2]!.inputs[1]!.toArray()).toEqual([5, 6]);
    expect((await collect(fromArrays(y))).map((e) => e.item())).toEqual([7, 8, 9]);
  });

  it('builds examples lazily', async () => {
    const ds = pipe(fromArrays({ x, y }), take(1));
    expect(ds.indexed?.length).toBe(1);
    expect((await collect(ds)).length).toBe(1);
  });

  it('throws ShapeError for leaves of different lengths or scalars', () => {
    expect(() => fromArrays({ x, y: jt.array([1, 2]) })).toThrow(jt.ShapeError);
    expect(() => fromArrays({ x, s: jt.array(1) })).toThrow(/scalar/);
    expect(() => fromArrays({})).toThrow(jt.ValueError);
  });
});
