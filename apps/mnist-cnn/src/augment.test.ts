import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { augmentDigits, shiftedCopy } from './augment';

describe('shiftedCopy', () => {
  it('moves image i by 3 px down, up, right or left (i mod 4)', () => {
    // A single lit pixel at (10, 12) in four copies.
    const one = new Float32Array(28 * 28);
    one[10 * 28 + 12] = 1;
    const images = jt.array(new Float32Array([...one, ...one, ...one, ...one]), {
      shape: [4, 28, 28, 1],
    });
    const out = shiftedCopy(images).data();
    const lit = [0, 1, 2, 3].map((i) => {
      const j = out.subarray(i * 784, (i + 1) * 784).indexOf(1);
      return [Math.floor(j / 28), j % 28];
    });
    expect(lit).toEqual([
      [13, 12],
      [7, 12],
      [10, 15],
      [10, 9],
    ]);
  });
});

describe('augmentDigits', () => {
  it('keeps the shape and pixel range, and depends on the key only', () => {
    const x = jt.random.uniform(jt.random.key(0), [3, 28, 28, 1]);
    const a = augmentDigits(jt.random.key(1), x);
    expect(a.shape).toEqual([3, 28, 28, 1]);
    const v = Array.from(a.data());
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1 + 1e-6);
    expect(Array.from(augmentDigits(jt.random.key(1), x).data())).toEqual(v);
  });
});
