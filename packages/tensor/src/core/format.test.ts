import { describe, expect, it } from 'vitest';
import * as jt from '../index';

describe('toString', () => {
  it('prints NumPy-style, with the dtype unless float32', () => {
    expect(
      jt
        .array([
          [1, 2],
          [3, 4],
        ])
        .toString(),
    ).toBe('array([[1., 2.],\n       [3., 4.]])');
    expect(jt.array([1, 2], { dtype: 'int32' }).toString()).toBe('array([1, 2], dtype=int32)');
    expect(jt.array([true, false]).toString()).toBe('array([ true, false], dtype=bool)');
    expect(jt.array([0.1], { dtype: 'float64' }).toString()).toBe('array([0.1], dtype=float64)');
    expect(jt.scalar(3.5).toString()).toBe('array(3.5)');
    expect(String(jt.array([1.5, -2.25, 3]))).toBe('array([  1.5, -2.25,    3.])');
  });

  it('prints special values and picks digits per dtype', () => {
    expect(jt.array([NaN, Infinity, -Infinity, 0.1]).toString()).toBe(
      'array([ nan,  inf, -inf,  0.1])',
    );
    expect(jt.array([1e-5, 1e20]).toString()).toBe('array([ 1.0000e-5, 1.0000e+20])');
    expect(jt.array([1 / 3]).toString()).toBe('array([0.3333333])');
    expect(jt.array([1 / 3], { dtype: 'float64' }).toString()).toBe(
      'array([0.333333333333333], dtype=float64)',
    );
    expect(jt.array([-0]).toString()).toBe('array([-0.])');
  });

  it('aligns nested rows and elides long axes', () => {
    expect(jt.arange(12).reshape([2, 2, 3]).toString()).toBe(
      'array([[[ 0,  1,  2],\n        [ 3,  4,  5]],\n       [[ 6,  7,  8],\n        [ 9, 10, 11]]], dtype=int32)',
    );
    expect(jt.arange(20).toString()).toBe('array([ 0,  1,  2, ..., 17, 18, 19], dtype=int32)');
    const big = jt.arange(100).reshape([10, 10]).toString().split('\n');
    expect(big).toHaveLength(7);
    expect(big[3]).toBe('       ...,');
    expect(jt.zeros([0]).toString()).toBe('array([])');
  });

  it('toArray and item', () => {
    expect(jt.array([[true], [false]]).toArray()).toEqual([[true], [false]]);
    expect(jt.array([[5]]).item()).toBe(5);
    expect(jt.array([true]).item()).toBe(true);
    expect(() => jt.array([1, 2]).item()).toThrow('item: array of shape [2] has 2 elements, not 1');
    const a = jt.array([1, 2]);
    const d = a.data();
    d[0] = 9;
    expect(a.toArray()).toEqual([1, 2]);
  });
});
