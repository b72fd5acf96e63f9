import { describe, expect, it } from 'vitest';
import * as jt from '../index';

describe('array', () => {
  it('infers shape and dtype from nested JS arrays', () => {
    const x = jt.array([
      [1, 2],
      [3, 4],
    ]);
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe('float32');
    expect(x.ndim).toBe(2);
    expect(x.size).toBe(4);
    expect(jt.array([[true], [false]]).dtype).toBe('bool');
    expect(jt.array(5).shape).toEqual([]);
    expect(jt.array([]).shape).toEqual([0]);
    expect(jt.array([1.7, -1.7], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(jt.array([0.1]).data()[0]).toBe(Math.fround(0.1));
    expect(jt.array([0.1], { dtype: 'float64' }).data()[0]).toBe(0.1);
  });

  it('from typed arrays (keeping their dtype) and with a shape', () => {
    const t = jt.array(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(t.dtype).toBe('int32');
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(jt.array(new Float64Array([1])).dtype).toBe('float64');
    expect(jt.array(new Uint8Array([1, 0])).toArray()).toEqual([true, false]);
    expect(jt.array([1, 2, 3, 4], { shape: [2, 2] }).shape).toEqual([2, 2]);
    const src = new Float32Array([1, 2]);
    const copy = jt.array(src);
    src[0] = 9;
    expect(copy.toArray()).toEqual([1, 2]);
    const a = jt.array([1, 2]);
    expect(jt.array(a)).toBe(a);
    expect(jt.array(a, { dtype: 'int32' }).dtype).toBe('int32');
  });

  it('errors', () => {
    expect(() => jt.array([[1, 2], [3]])).toThrow(
      'array: ragged nested array: expected length 2 at depth 1',
    );
    expect(() => jt.array(new Int32Array(3), { shape: [2, 2] })).toThrow(
      'array: 3 elements do not fill shape [2,2]',
    );
    expect(() => jt.array([1], { dtype: 'int64' as jt.DType })).toThrow(jt.DTypeError);
    expect(() => jt.array([1, 2, 3], { shape: [2] })).toThrow(jt.ShapeError);
  });
});

describe('filled arrays and ranges', () => {
  it('full, zeros, ones and the *Like variants', () => {
    expect(jt.full([2], 7, { dtype: 'int32' }).toArray()).toEqual([7, 7]);
    expect(jt.full([2], true).dtype).toBe('bool');
    expect(jt.full([], 3).toArray()).toBe(3);
    expect(jt.zeros([2, 1]).toArray()).toEqual([[0], [0]]);
    expect(jt.ones([2], { dtype: 'int32' }).toArray()).toEqual([1, 1]);
    const i = jt.array([1, 2], { dtype: 'int32' });
    expect(jt.zerosLike(i).dtype).toBe('int32');
    expect(jt.onesLike(i, { dtype: 'float64' }).dtype).toBe('float64');
    expect(jt.zerosLike({ shape: [3], dtype: 'bool' }).toArray()).toEqual([false, false, false]);
    expect(() => jt.full([-1], 0)).toThrow('full: invalid shape [-1]');
    expect(() => jt.zeros([1.5])).toThrow(jt.ValueError);
  });

  it('arange: int32 for integer arguments, float32 otherwise', () => {
    expect(jt.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(jt.arange(5).dtype).toBe('int32');
    expect(jt.arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(jt.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    const f = jt.arange(0, 1, 0.25);
    expect(f.dtype).toBe('float32');
    expect(f.toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(jt.arange(3, undefined, 1, { dtype: 'float64' }).dtype).toBe('float64');
    expect(jt.arange(0).shape).toEqual([0]);
    expect(jt.arange(3, 1).shape).toEqual([0]);
    expect(() => jt.arange(0, 1, 0)).toThrow('arange: step must be finite and non-zero, got 0');
  });

  it('linspace includes both ends; eye', () => {
    expect(jt.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(jt.linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(jt.linspace(2, 3, 0).shape).toEqual([0]);
    expect(jt.linspace(0, 1, 3, { dtype: 'float64' }).toArray()).toEqual([0, 0.5, 1]);
    expect(() => jt.linspace(0, 1, -1)).toThrow(jt.ValueError);
    expect(jt.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(jt.eye(2, undefined, { dtype: 'int32' }).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(jt.scalar(2, 'int32').dtype).toBe('int32');
    expect(jt.scalar(true).dtype).toBe('bool');
  });
});

describe('asArray', () => {
  it('converts typed and nested arrays instead of treating them as scalars', () => {
    expect(jt.asArray(new Int32Array([1, 2, 3]) as never).toArray()).toEqual([1, 2, 3]);
    expect(jt.asArray(new Int32Array([1, 2, 3]) as never).dtype).toBe('int32');
    expect(jt.reshape(new Int32Array([1, 2, 3, 4]) as never, [2, -1]).shape).toEqual([2, 2]);
    expect(() => jt.asArray({} as never)).toThrow(jt.DTypeError);
  });
});

describe('array-likes (one rule for the whole API: NumPy-like)', () => {
  const x = jt.array([1, 2]);

  it('elementwise ops take nested JS arrays and typed arrays like matmul does', () => {
    expect(jt.add(x, [3, 4]).toArray()).toEqual([4, 6]);
    expect(jt.sub([[10], [20]], x).toArray()).toEqual([
      [9, 8],
      [19, 18],
    ]);
    expect(jt.mul(x, new Float32Array([3, 4])).toArray()).toEqual([3, 8]);
    expect(jt.where([true, false], x, [7, 8]).toArray()).toEqual([1, 8]);
    expect(x.add([1, 1]).toArray()).toEqual([2, 3]);
    expect(jt.sum([1, 2, 3]).item()).toBe(6);
    expect(jt.maximum([1, 5], [4, 2]).toArray()).toEqual([4, 5]);
  });

  it('a list of numbers is weakly typed like the numbers in it; typed arrays are not', () => {
    const i = jt.array([1, 2], { dtype: 'int32' });
    expect(jt.add(i, [3, 4]).dtype).toBe('int32');
    expect(jt.add(i, [3, 4.5]).toArray()).toEqual([4, 6.5]);
    expect(jt.add(i, [3, 4.5]).dtype).toBe('float32');
    expect(jt.add(jt.array([1, 2], { dtype: 'float64' }), [1, 2]).dtype).toBe('float64');
    expect(jt.add(x, new Float64Array([1, 2])).dtype).toBe('float64');
    expect(jt.logicalAnd([true, true], [true, false]).toArray()).toEqual([true, false]);
  });

  it('stacks lists of arrays of one shape (promoting their dtypes)', () => {
    const s = jt.array([x, [5, 6], jt.array([7, 8], { dtype: 'float64' })]);
    expect(s.shape).toEqual([3, 2]);
    expect(s.dtype).toBe('float64');
    expect(s.toArray()).toEqual([
      [1, 2],
      [5, 6],
      [7, 8],
    ]);
    expect(() => jt.array([x, jt.array([1, 2, 3])])).toThrow(
      /array: cannot stack arrays of shapes \[2\] and \[3\]/,
    );
  });

  it('rejects what is not array-like with a DTypeError naming the function', () => {
    expect(() => jt.array(['a'] as never)).toThrow(jt.DTypeError);
    expect(() => jt.array(['a'] as never)).toThrow(
      /^array: expected numbers or booleans, got the string "a" at \[0\]/,
    );
    expect(() => jt.array([[1, null]] as never)).toThrow(/array: .*got null at \[0\]\[1\]/);
    expect(() => jt.array(undefined as never)).toThrow(/^array: .*got undefined/);
    expect(() => jt.array({} as never)).toThrow(/^array: .*got \[object Object\]/);
    expect(() => jt.array({} as never)).toThrow(jt.DTypeError);
    expect(() => jt.add(x, 'a' as never)).toThrow(/^add: .*the string "a"/);
    expect(() => jt.array(new Int16Array(2) as never)).toThrow(/array: unsupported typed array/);
  });

  it('refuses sizes no array can hold with a ShapeError that says the size', () => {
    const big = /has 4611686018427387904 elements; an array holds at most 2147483647/;
    expect(() => jt.zeros([2 ** 31, 2 ** 31])).toThrow(jt.ShapeError);
    expect(() => jt.zeros([2 ** 31, 2 ** 31])).toThrow(big);
    expect(() => jt.ones([2 ** 31, 2 ** 31])).toThrow(/^ones: shape \[2147483648,2147483648\]/);
    expect(() => jt.full([2 ** 31, 2 ** 31], 1)).toThrow(big);
    expect(() => jt.eye(2 ** 20)).toThrow(/^eye: shape \[1048576,1048576\] has 1099511627776/);
    expect(() => jt.arange(1e12)).toThrow(/^arange: .*1000000000000 elements/);
    expect(() => jt.linspace(0, 1, 2 ** 32)).toThrow(jt.ShapeError);
    expect(() => jt.broadcastTo(x, [2 ** 31, 2])).toThrow(/^broadcastTo: .*4294967296 elements/);
    const key = jt.random.key(0);
    expect(() => jt.random.normal(key, [2 ** 16, 2 ** 16])).toThrow(/4294967296 elements/);
    expect(() => jt.array(new Float32Array(4), { shape: [2 ** 31, 2 ** 31] })).toThrow(big);
    // Still a ValueError for axes that are not lengths at all.
    expect(() => jt.zeros([-1])).toThrow(jt.ValueError);
  });
});
