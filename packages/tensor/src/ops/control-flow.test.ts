import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const f32 = (v: jt.NestedArray) => jt.array(v);
const i32 = (v: jt.NestedArray) => jt.array(v, { dtype: 'int32' });

describe('scan', () => {
  it('carries state and stacks per-step outputs', () => {
    const [c, ys] = jt.scan(
      (carry: jt.Array, x: jt.Array) => [carry.add(x), carry.mul(x)],
      jt.zeros([]),
      f32([0, 1, 2, 3, 4]),
    );
    expect(c.toArray()).toBe(10);
    expect(ys.toArray()).toEqual([0, 0, 2, 9, 24]);
  });

  it('runs in reverse, keeping ys aligned with xs', () => {
    const [c, ys] = jt.scan(
      (carry: jt.Array, x: jt.Array) => [carry.add(x), carry],
      jt.zeros([]),
      f32([0, 1, 2, 3]),
      { reverse: true },
    );
    expect(c.toArray()).toBe(6);
    expect(ys.toArray()).toEqual([6, 5, 3, 0]);
  });

  it('scans over pytrees of carries and xs, with array-valued steps', () => {
    const [c, ys] = jt.scan(
      (carry: { a: jt.Array; b: jt.Array }, x: [jt.Array, jt.Array]) => [
        { a: carry.a.add(x[0]), b: carry.b.mul(x[1]) },
        { s: carry.a, row: x[0].mul(2) },
      ],
      { a: jt.zeros([2]), b: jt.ones([]) },
      [
        f32([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        f32([2, 3, 4]),
      ],
    );
    expect(c.a.toArray()).toEqual([9, 12]);
    expect(c.b.toArray()).toBe(24);
    expect(ys.s.toArray()).toEqual([
      [0, 0],
      [1, 2],
      [4, 6],
    ]);
    expect(ys.row.shape).toEqual([3, 2]);
  });

  it('length without xs; zero-length scans return the init and empty ys', () => {
    const [c, ys] = jt.scan(
      (carry: jt.Array, _: null) => [carry.add(1), carry],
      jt.zeros([]),
      null,
      { length: 3 },
    );
    expect(c.toArray()).toBe(3);
    expect(ys.toArray()).toEqual([0, 1, 2]);
    const [c0, y0] = jt.scan(
      (carry: jt.Array, x: jt.Array) => [carry.add(x), carry],
      jt.zeros([2]),
      jt.zeros([0, 2]),
    );
    expect(c0.toArray()).toEqual([0, 0]);
    expect(y0.shape).toEqual([0, 2]);
  });

  it('errors name the offending leaf, shapes and dtypes', () => {
    expect(() =>
      jt.scan(
        (c: jt.Array, x: jt.Array) => [c.add(x).reshape([1]), c],
        jt.zeros([]),
        jt.zeros([3]),
      ),
    ).toThrow('scan: carry leaf 0 is float32[1], expected float32[]');
    expect(() =>
      jt.scan((c: jt.Array) => [c.add(1.5), c], jt.zeros([], { dtype: 'int32' }), jt.zeros([3])),
    ).toThrow('scan: carry leaf 0 is float32[], expected int32[]');
    expect(() =>
      jt.scan((c: jt.Array) => [c, c], jt.zeros([]), [jt.zeros([3]), jt.zeros([4])]),
    ).toThrow('scan: leaves of xs have different leading sizes 3, 4');
    expect(() =>
      jt.scan(((c: jt.Array) => [[c], c]) as never, jt.zeros([]), jt.zeros([3])),
    ).toThrow(/scan: the body returned a carry of structure/);
    expect(() => jt.scan((c: jt.Array) => [c, c], jt.zeros([]), null)).toThrow(jt.ValueError);
    expect(() =>
      jt.scan((c: jt.Array) => [c, c], jt.zeros([]), jt.zeros([3]), { length: 4 }),
    ).toThrow(jt.ShapeError);
    expect(() => jt.scan((c: jt.Array) => [c, c], jt.zeros([]), jt.scalar(1))).toThrow(
      jt.ShapeError,
    );
  });
});

describe('cond', () => {
  const double = (v: jt.Array) => v.mul(2);
  const negate = (v: jt.Array) => v.neg();

  it('picks a branch from a bool scalar or a JS boolean', () => {
    expect(jt.cond(jt.array(true), double, negate, f32([1, 2])).toArray()).toEqual([2, 4]);
    expect(jt.cond(false, double, negate, f32([1, 2])).toArray()).toEqual([-1, -2]);
    expect(jt.cond(jt.greater(f32(-3), 0), double, negate, f32(5)).toArray()).toBe(-5);
  });

  it('an int32 predicate is true when non-zero', () => {
    expect(jt.cond(i32(2), double, negate, f32([1])).toArray()).toEqual([2]);
    expect(jt.cond(i32(-1), double, negate, f32([1])).toArray()).toEqual([2]);
    expect(jt.cond(i32(0), double, negate, f32([1])).toArray()).toEqual([-1]);
  });

  it('passes several operands and returns pytrees', () => {
    const out = jt.cond(
      true,
      (a: jt.Array, b: { k: jt.Array }) => ({ s: a.add(b.k), d: a.sub(b.k) }),
      (a: jt.Array, b: { k: jt.Array }) => ({ s: a.mul(b.k), d: b.k }),
      f32(3),
      { k: f32(1) },
    );
    expect(out.s.toArray()).toBe(4);
    expect(out.d.toArray()).toBe(2);
  });

  it('errors', () => {
    expect(() => jt.cond(true, double, (v: jt.Array) => v.sum(), f32([1, 2]))).toThrow(
      'cond: true-branch output leaf 0 is float32[2], expected float32[]',
    );
    expect(() => jt.cond(jt.array([true]), double, double, f32([1]))).toThrow(
      'cond: predicate must be a scalar, got [1]',
    );
    expect(() => jt.cond(f32(0.5), double, negate, f32([1]))).toThrow(jt.DTypeError);
    expect(() =>
      jt.cond(true, (v: jt.Array) => [v], ((v: jt.Array) => v) as never, f32([1])),
    ).toThrow(jt.ShapeError);
  });
});

describe('whileLoop and fori', () => {
  it('loops until the condition fails', () => {
    expect(
      jt
        .whileLoop(
          (c: jt.Array) => jt.less(c, 10),
          (c: jt.Array) => c.mul(2),
          f32(1),
        )
        .toArray(),
    ).toBe(16);
    expect(
      jt
        .whileLoop(
          (c: jt.Array) => jt.less(c, 0),
          (c: jt.Array) => c.add(1),
          f32(5),
        )
        .toArray(),
    ).toBe(5);
    const out = jt.whileLoop(
      (c: { i: jt.Array; s: jt.Array }) => jt.less(c.i, 5),
      (c) => ({ i: c.i.add(1), s: c.s.add(c.i) }),
      { i: i32(0), s: jt.zeros([]) },
    );
    expect(out.i.dtype).toBe('int32');
    expect(out.i.toArray()).toBe(5);
    expect(out.s.toArray()).toBe(10);
  });

  it('errors', () => {
    expect(() =>
      jt.whileLoop(
        (c: jt.Array) => c,
        (c: jt.Array) => c.mul(2),
        f32(1),
      ),
    ).toThrow('whileLoop: condition must return a bool scalar, got float32[]');
    expect(() =>
      jt.whileLoop(
        (c: jt.Array) => jt.less(c, 10),
        (c: jt.Array) => c.reshape([1]),
        f32(1),
      ),
    ).toThrow('whileLoop: body output leaf 0 is float32[1], expected float32[]');
  });

  it('fori passes int32 indices over [lower, upper)', () => {
    expect(jt.fori(0, 5, (i, acc: jt.Array) => acc.add(i), jt.zeros([])).toArray()).toBe(10);
    expect(jt.fori(2, 5, (i, acc: jt.Array) => acc.mul(i), jt.ones([])).toArray()).toBe(24);
    expect(jt.fori(5, 5, (i, acc: jt.Array) => acc.add(i), jt.zeros([])).toArray()).toBe(0);
    const seen: string[] = [];
    jt.fori(
      0,
      2,
      (i, acc: jt.Array) => {
        seen.push(i.dtype);
        return acc;
      },
      jt.zeros([]),
    );
    expect(new Set(seen)).toEqual(new Set(['int32']));
    expect(() => jt.fori(0, 1.5, (_i, a: jt.Array) => a, jt.zeros([]))).toThrow(
      'fori: bounds must be integers',
    );
  });
});
