import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { grad, jit, valueAndGrad, vmap } from './index';

describe('relu', () => {
  it('has derivative 0 at 0 (as jax.nn.relu), 1 above, 0 below', () => {
    const d = vmap(grad((x: jt.Array) => jt.relu(x)))(jt.array([-1, 0, 2]));
    expect(d.toArray()).toEqual([0, 0, 1]);
  });

  it('keeps NaN, and so does its gradient', () => {
    expect(Number.isNaN(Number(jt.relu(Number.NaN)))).toBe(true);
    // The gradient at NaN is 1 (the select passes x through), so a NaN upstream of relu
    // still reaches the parameters' gradients instead of being silenced.
    expect(grad((x: jt.Array) => jt.relu(x))(jt.array(Number.NaN)).item()).toBe(1);
  });
});

describe('array-likes in transforms', () => {
  const sumSq = (v: jt.ArrayLike) => jt.sum(jt.square(v));

  it('a JS array of numbers is a list of leaves (as in JAX): gradients come back as a list', () => {
    const g = grad(sumSq)([1, 2, 3]) as unknown as jt.Array[];
    expect(Array.isArray(g)).toBe(true);
    expect(g.map((e) => e.item())).toEqual([2, 4, 6]);
    const [value, gv] = valueAndGrad(sumSq)([1, 2]) as unknown as [jt.Array, jt.Array[]];
    expect(value.item()).toBe(5);
    expect(gv.map((e) => e.item())).toEqual([2, 4]);
  });

  it('a typed array is one leaf', () => {
    const g = grad(sumSq)(new Float32Array([1, 2, 3]) as never);
    expect(g.toArray()).toEqual([2, 4, 6]);
  });

  it('jit and vmap take lists and typed arrays too', () => {
    expect(jit(sumSq)([1, 2, 3]).item()).toBe(14);
    const twice = vmap((v: jt.Array) => jt.mul(v, 2));
    expect(twice(new Float32Array([1, 2, 3]) as never).toArray()).toEqual([2, 4, 6]);
    // Ops inside take lists of traced scalars as arrays (stacked).
    expect(
      jit((a: jt.Array, b: jt.Array) => jt.sum(jt.array([a, b, 1])))(
        jt.array(2),
        jt.array(3),
      ).item(),
    ).toBe(6);
  });

  it('a leaf that is not an array or number is a ValueError that says what a leaf may be', () => {
    expect(() => grad(sumSq)('a' as never)).toThrow(jt.ValueError);
    expect(() => grad(sumSq)({ w: new Map() } as never)).toThrow(
      /unsupported node \[object Map\] at 'w'.*leaves are jt\.Arrays, numbers, booleans and typed arrays/,
    );
  });
});

describe('vmap over indexed reads and updates', () => {
  const i32 = (v: number[]) => jt.array(v, { dtype: 'int32' });
  const xs = jt.reshape(jt.arange(12, undefined, 1, { dtype: 'float32' }), [4, 3]);
  const setOne = vmap((x: jt.Array, i: jt.Array) => jt.at(x, i).set(1));

  it("reports the user's index, axis and example, not the merged-axis index", () => {
    // Regression: the batched index was offset by example · size before the kernel checked
    // it, so the message said index 10 for the user's 7.
    expect(() => setOne(jt.zeros([4, 3]), i32([0, 7, 2, 0]))).toThrow(
      /scatter_add: index 7 is out of range for axis 0 of size 3 \(example 1 of the vmapped batch\)/,
    );
    expect(() => vmap((i: jt.Array) => jt.at(jt.zeros([3]), i).set(1))(i32([0, 7]))).toThrow(
      /index 7 is out of range for axis 0 of size 3 \(example 1/,
    );
    expect(() => vmap((x: jt.Array, i: jt.Array) => jt.take(x, i))(xs, i32([0, 0, 9, 0]))).toThrow(
      /gather: index 9 is out of range for axis 0 of size 3 \(example 2/,
    );
  });

  it("never reads or writes a neighbour's rows for an index just past the end", () => {
    // Index 3 of example 0 used to land on example 1's first row, silently.
    expect(() => vmap((x: jt.Array, i: jt.Array) => jt.take(x, i))(xs, i32([3, 0, 0, 0]))).toThrow(
      jt.ValueError,
    );
    expect(() => setOne(jt.zeros([4, 3]), i32([3, 0, 0, 0]))).toThrow(jt.ValueError);
    // Under jit the indices are traced: still an error, not a neighbour's value.
    const jitted = jit(vmap((x: jt.Array, i: jt.Array) => jt.take(x, i)));
    expect(() => jitted(xs, i32([3, 0, 0, 0]))).toThrow(jt.ValueError);
  });

  it('matches a loop over examples, negative indices wrapping as they do eagerly', () => {
    const idx = i32([1, -1, 0, 2]);
    const got = vmap((x: jt.Array, i: jt.Array) => jt.take(x, i))(xs, idx);
    // Row b of arange(12) is [3b, 3b+1, 3b+2]; picks 1, -1 (= 2), 0, 2.
    expect(got.toArray()).toEqual([1, 5, 6, 11]);
    const set = setOne(jt.zeros([4, 3]), idx);
    expect(set.toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const jitted = jit(vmap((x: jt.Array, i: jt.Array) => jt.take(x, i)));
    expect(jitted(xs, idx).toArray()).toEqual([1, 5, 6, 11]);
  });
});

describe('jt.config.debugNans in compiled programs', () => {
  it('runs a jitted program equation by equation and names the culprit', () => {
    const f = jit((x: jt.Array) => jt.sum(jt.exp(jt.log(jt.mul(x, 2)))));
    // Compiled (and fused) while the switch is off: NaN flows through.
    expect(Number.isNaN(f(jt.array([-1, 2])).item())).toBe(true);
    jt.config.debugNans = true;
    try {
      expect(() => f(jt.array([-1, 2]))).toThrow(jt.FloatingPointError);
      expect(() => f(jt.array([-1, 2]))).toThrow(
        /^log produced NaN: \(f32\[2\]\) -> f32\[2\] in equation 3 of \d+ of a compiled program \(\w+ = log \w+\), called at .*reliability\.test\.ts:\d+:\d+/,
      );
      expect(f(jt.array([1, 2])).item()).toBeCloseTo(6, 5);
    } finally {
      jt.config.debugNans = false;
    }
  });

  it('names the primitive in a gradient too', () => {
    jt.config.debugNans = true;
    try {
      // d/dx sqrt(x) at x = 0 is inf, and inf * 0 is NaN in the backward pass.
      const g = () => grad((x: jt.Array) => jt.sum(jt.mul(jt.sqrt(x), 0)))(jt.array([0, 1]));
      expect(g).toThrow(/^mul produced NaN/);
    } finally {
      jt.config.debugNans = false;
    }
  });
});
