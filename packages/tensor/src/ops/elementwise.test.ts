import { describe, expect, it } from 'vitest';
import * as jc from '../core';
import * as jt from '../index';

const f32 = (v: jt.NestedArray) => jt.array(v);
const i32 = (v: jt.NestedArray) => jt.array(v, { dtype: 'int32' });
const f64 = (v: jt.NestedArray) => jt.array(v, { dtype: 'float64' });
const bool = (v: jt.NestedArray) => jt.array(v, { dtype: 'bool' });

/** Elementwise closeness; NaN matches NaN and infinities must be equal. */
function expectClose(a: jt.Array, expected: number[], tol = 1e-6): void {
  const d = Array.from(a.data());
  expect(d.length).toBe(expected.length);
  d.forEach((v, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(v).toBeNaN();
    else if (!Number.isFinite(e)) expect(v).toBe(e);
    else expect(Math.abs(v - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

describe('arithmetic', () => {
  it('adds, subtracts, multiplies and divides with broadcasting', () => {
    const x = f32([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = f32([10, 20, 30]);
    expect(jt.add(x, y).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(jt.sub(x, y).toArray()).toEqual([
      [-9, -18, -27],
      [-6, -15, -24],
    ]);
    expect(jt.mul(x, f32([[2], [3]])).toArray()).toEqual([
      [2, 4, 6],
      [12, 15, 18],
    ]);
    expect(jt.div(x, 2).toArray()).toEqual([
      [0.5, 1, 1.5],
      [2, 2.5, 3],
    ]);
    expect(jt.pow(x, 2).toArray()).toEqual([
      [1, 4, 9],
      [16, 25, 36],
    ]);
    expect(x.add(1).mul(2).sub(3).toArray()).toEqual([
      [1, 3, 5],
      [7, 9, 11],
    ]);
    expect(jt.add(1, 2).toArray()).toBe(3);
  });

  it('broadcasts size-1 axes on both sides', () => {
    const out = jt.add(f32([[1], [2]]), f32([[10, 20, 30]]));
    expect(out.shape).toEqual([2, 3]);
    expect(out.toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
    expect(jt.add(jt.ones([2, 1, 3]), jt.ones([4, 1])).shape).toEqual([2, 4, 3]);
  });

  it('min/max propagate NaN; clip clamps', () => {
    expectClose(jt.maximum(f32([1, NaN, 5]), f32([NaN, 2, 3])), [NaN, NaN, 5]);
    expectClose(jt.minimum(f32([1, NaN, 5]), f32([NaN, 2, 3])), [NaN, NaN, 3]);
    expect(jt.clip(f32([-2, 0.5, 3]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
  });

  it('unary math matches Math.*', () => {
    const xs = [0.1, 0.5, 1, 2.5];
    const x = f64(xs);
    const cases: [(a: jt.Array) => jt.Array, (v: number) => number][] = [
      [jt.exp, Math.exp],
      [jt.log, Math.log],
      [jt.expm1, Math.expm1],
      [jt.log1p, Math.log1p],
      [jt.sin, Math.sin],
      [jt.cos, Math.cos],
      [jt.tan, Math.tan],
      [jt.tanh, Math.tanh],
      [jt.sqrt, Math.sqrt],
      [jt.rsqrt, (v) => 1 / Math.sqrt(v)],
      [jt.abs, Math.abs],
      [jt.neg, (v) => -v],
      [jt.square, (v) => v * v],
      [jt.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
      [jt.floor, Math.floor],
      [jt.ceil, Math.ceil],
    ];
    for (const [f, ref] of cases) {
      const out = f(x);
      expect(out.dtype).toBe('float64');
      expectClose(out, xs.map(ref), 1e-14);
    }
  });

  it('sigmoid, softplus and relu are stable at the extremes', () => {
    expectClose(jt.sigmoid(f32([-1000, 0, 1000])), [0, 0.5, 1]);
    expectClose(jt.softplus(f32([-1000, 0, 1000])), [0, Math.log(2), 1000]);
    expect(jt.relu(f32([-1, 0, 2])).toArray()).toEqual([0, 0, 2]);
    expect(jt.relu(i32([-1, 3])).dtype).toBe('int32');
    // NaN stays NaN (as in JAX and PyTorch), infinities keep their sign's answer.
    const r = jt.relu(f32([Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]));
    expect(Array.from(r.data())).toEqual([Number.NaN, 0, Number.POSITIVE_INFINITY]);
    expect(jt.relu(f32([[Number.NaN, -3]])).toArray()).toEqual([[Number.NaN, 0]]);
  });

  it('round is half to even; sign keeps NaN and zero', () => {
    expect(jt.round(f32([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6])).toArray()).toEqual([
      0, 2, 2, -0, -2, -2, 2, 3,
    ]);
    expectClose(jt.sign(f32([-2, 0, 3, NaN])), [-1, 0, 1, NaN]);
    expect(jt.sign(i32([-7, 0, 9])).toArray()).toEqual([-1, 0, 1]);
  });

  it('integer division truncates toward zero only through the lax primitive; jt.div is true division', () => {
    const q = jt.div(i32([7, -7]), i32([2, 2]));
    expect(q.dtype).toBe('float32');
    expect(q.toArray()).toEqual([3.5, -3.5]);
    const [lax] = jc.bind('div', [i32([7, -7, 1]), i32([2, 2, 0])], {});
    expect(lax!.toArray()).toEqual([3, -3, 0]);
  });

  it('transcendental functions of integers compute in float32', () => {
    const out = jt.exp(i32([0, 1]));
    expect(out.dtype).toBe('float32');
    expectClose(out, [1, Math.E]);
    expect(jt.sqrt(bool([true, false])).toArray()).toEqual([1, 0]);
  });

  it('neg/abs/sign reject bool', () => {
    expect(() => jt.neg(bool([true]))).toThrow(jt.DTypeError);
    expect(() => jt.abs(bool([true]))).toThrow(/abs: not defined for bool arrays/);
  });
});

describe('dtype promotion (JAX rules)', () => {
  it('promotes along bool < int32 < float32 < float64', () => {
    expect(jt.promoteTypes('bool', 'int32')).toBe('int32');
    expect(jt.promoteTypes('int32', 'float32')).toBe('float32');
    expect(jt.promoteTypes('float32', 'float64')).toBe('float64');
    expect(jt.promoteTypes('float64', 'bool')).toBe('float64');
    expect(jt.add(i32([1]), f32([1])).dtype).toBe('float32');
    expect(jt.add(f32([1]), f64([1])).dtype).toBe('float64');
    expect(jt.mul(i32([2]), f64([1.5])).toArray()).toEqual([3]);
    expect(jt.add(bool([true]), i32([2])).toArray()).toEqual([3]);
  });

  it('arithmetic on two bool arrays computes in int32', () => {
    const out = jt.add(bool([true, true]), bool([true, false]));
    expect(out.dtype).toBe('int32');
    expect(out.toArray()).toEqual([2, 1]);
  });

  it('JS numbers are weakly typed: they never widen an array', () => {
    expect(jt.add(i32([1, 2]), 1).dtype).toBe('int32');
    expect(jt.add(i32([1, 2]), 1).toArray()).toEqual([2, 3]);
    expect(jt.add(f64([1]), 1).dtype).toBe('float64');
    expect(jt.mul(f32([1]), 1e300).dtype).toBe('float32');
    expect(jt.add(1, f64([1])).dtype).toBe('float64');
    expect(jt.sub(10, i32([1])).toArray()).toEqual([9]);
  });

  it('a non-integer JS number lifts integers to float32; any number lifts bool to int32', () => {
    const a = jt.add(i32([1, 2]), 0.5);
    expect(a.dtype).toBe('float32');
    expect(a.toArray()).toEqual([1.5, 2.5]);
    expect(jt.add(bool([true, false]), 1).dtype).toBe('int32');
    expect(jt.add(bool([true, false]), 1).toArray()).toEqual([2, 1]);
    expect(jt.add(bool([true]), 0.5).dtype).toBe('float32');
    expect(jt.add(1, 2).dtype).toBe('float32');
  });

  it('a JS boolean keeps the array dtype', () => {
    expect(jt.add(i32([1]), true).dtype).toBe('int32');
    expect(jt.add(i32([1]), true).toArray()).toEqual([2]);
    expect(jt.equal(true, false).dtype).toBe('bool');
  });
});

describe('comparisons and logic', () => {
  it('comparisons return bool, broadcasting and promoting first', () => {
    const x = f32([1, 2, 3]);
    const ops: [(a: jt.ArrayLike, b: jt.ArrayLike) => jt.Array, boolean[]][] = [
      [jt.equal, [false, true, false]],
      [jt.notEqual, [true, false, true]],
      [jt.less, [true, false, false]],
      [jt.lessEqual, [true, true, false]],
      [jt.greater, [false, false, true]],
      [jt.greaterEqual, [false, true, true]],
    ];
    for (const [op, want] of ops) {
      const out = op(x, 2);
      expect(out.dtype).toBe('bool');
      expect(out.toArray()).toEqual(want);
    }
    expect(jt.less(i32([1, 2]), 1.5).toArray()).toEqual([true, false]);
    expect(jt.equal(f32([[1], [2]]), i32([1, 2])).toArray()).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(x.greater(1).toArray()).toEqual([false, true, true]);
  });

  it('NaN compares unequal to everything', () => {
    const n = f32([NaN]);
    expect(jt.equal(n, n).toArray()).toEqual([false]);
    expect(jt.notEqual(n, n).toArray()).toEqual([true]);
    expect(jt.less(n, 1).toArray()).toEqual([false]);
    expect(jt.greaterEqual(n, 1).toArray()).toEqual([false]);
  });

  it('logical ops treat non-zero as true', () => {
    expect(jt.logicalAnd(f32([0, 1, 2, 0]), bool([true, true, false, false])).toArray()).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(jt.logicalOr(i32([0, 3]), false).toArray()).toEqual([false, true]);
    expect(jt.logicalNot(f32([0, -1])).toArray()).toEqual([true, false]);
  });

  it('isNan and isFinite', () => {
    const x = f32([1, NaN, Infinity, -Infinity, 0]);
    expect(jt.isNan(x).toArray()).toEqual([false, true, false, false, false]);
    expect(jt.isFinite(x).toArray()).toEqual([true, false, false, false, true]);
    expect(jt.isNan(i32([1])).toArray()).toEqual([false]);
    expect(jt.isFinite(i32([1])).dtype).toBe('bool');
  });

  it('where selects with broadcasting and promotes the branches', () => {
    const c = bool([true, false, true]);
    expect(jt.where(c, f32([1, 2, 3]), f32([10, 20, 30])).toArray()).toEqual([1, 20, 3]);
    const w = jt.where(c, i32([1, 2, 3]), 0);
    expect(w.dtype).toBe('int32');
    expect(w.toArray()).toEqual([1, 0, 3]);
    const h = jt.where(c, i32([1, 2, 3]), 1.5);
    expect(h.dtype).toBe('float32');
    expect(h.toArray()).toEqual([1, 1.5, 3]);
    expect(jt.where(bool([[true], [false]]), f32([1, 2]), -1).toArray()).toEqual([
      [1, 2],
      [-1, -1],
    ]);
    expect(jt.where(f32([0, 2]), 1, 2).toArray()).toEqual([2, 1]);
  });
});

describe('cast', () => {
  it('float to int truncates toward zero; NaN becomes 0', () => {
    expect(jt.cast(f32([-1.7, -0.5, 0.5, 1.7, 2.5]), 'int32').toArray()).toEqual([-1, 0, 0, 1, 2]);
    expect(jt.cast(f32([NaN]), 'int32').toArray()).toEqual([0]);
    expect(f32([3.9]).astype('int32').toArray()).toEqual([3]);
  });

  it('non-zero to true, bool to 0/1, float64 to float32 rounds', () => {
    expect(jt.cast(f32([0, 0.5, -2, NaN]), 'bool').toArray()).toEqual([false, true, true, true]);
    expect(jt.cast(bool([true, false]), 'float32').toArray()).toEqual([1, 0]);
    expect(jt.cast(f64([0.1]), 'float32').data()[0]).toBe(Math.fround(0.1));
    expect(jt.cast(i32([5]), 'float64').dtype).toBe('float64');
  });

  it('casting to the same dtype returns the input', () => {
    const x = f32([1]);
    expect(jt.cast(x, 'float32')).toBe(x);
  });

  it('stopGradient is the identity on values', () => {
    expect(jt.stopGradient(f32([1, 2])).toArray()).toEqual([1, 2]);
  });
});

describe('broadcastTo', () => {
  it('expands size-1 axes and prepends axes', () => {
    expect(jt.broadcastTo(f32([1, 2]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(jt.broadcastTo(f32([[1], [2]]), [2, 3]).toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(jt.broadcastTo(5, [2]).toArray()).toEqual([5, 5]);
  });

  it('names both shapes when it cannot broadcast', () => {
    expect(() => jt.broadcastTo(f32([1, 2, 3]), [2, 2])).toThrow(
      'broadcastTo: cannot broadcast [3] to [2,2]',
    );
    expect(() => jt.broadcastTo(jt.ones([2, 2]), [2])).toThrow(jt.ShapeError);
  });
});
