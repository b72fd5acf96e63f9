import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { affineMatrix, affineTransform, randomAffine } from './affine';
import { translate } from './translate';

const img = jt.array([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
const close = (a: jt.Array, want: readonly number[]) => {
  const got = Array.from(a.data());
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g).toBeCloseTo(want[i]!, 5);
  });
};
const one = (m: number[][]) => jt.array([m], { dtype: 'float32' });

describe('affineTransform', () => {
  it('the identity matrix and a rotation by 0 return the image', () => {
    close(
      affineTransform(
        img,
        one([
          [1, 0, 0],
          [0, 1, 0],
        ]),
      ),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    close(
      affineTransform(img, one(affineMatrix({ angle: 0, center: [1, 1] }))),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });

  it('rotates by 90° counter-clockwise about the centre', () => {
    // Worked by hand: output (y, x) reads input (x, 2 − y).
    const m = affineMatrix({ angle: Math.PI / 2, center: [1, 1] });
    close(affineTransform(img, one(m)), [3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });

  it('a whole-pixel shift equals translate; a half-pixel shift averages neighbours', () => {
    const down = affineMatrix({ shift: [1, 0], center: [1, 1] });
    close(affineTransform(img, one(down)), Array.from(translate(img, [[1, 0]]).data()));
    const half = affineMatrix({ shift: [0, 0.5], center: [1, 1] });
    // out[y, x] reads x − 0.5: (0 + 1)/2, (1 + 2)/2, (2 + 3)/2 on the first row.
    close(affineTransform(img, one(half)), [0.5, 1.5, 2.5, 2, 4.5, 5.5, 3.5, 7.5, 8.5]);
  });

  it('zooming by 2 about the centre reads half-way towards it', () => {
    const m = affineMatrix({ scale: 2, center: [1, 1] });
    // Corner (0, 0) reads (0.5, 0.5): (1 + 2 + 4 + 5)/4 = 3.
    const out = Array.from(affineTransform(img, one(m)).data());
    expect(out[0]).toBeCloseTo(3, 5);
    expect(out[4]).toBeCloseTo(5, 5);
  });
});

describe('randomAffine', () => {
  const x = jt.random.uniform(jt.random.key(0), [4, 6, 6, 1]);

  it('with no rotation, shift or zoom is the identity', () => {
    close(randomAffine({ rotation: 0 })(jt.random.key(1), x), Array.from(x.data()));
  });

  it('is reproducible from its key and differs between keys', () => {
    const t = randomAffine({ rotation: 15, translate: 1, scale: [0.9, 1.1] });
    const a = Array.from(t(jt.random.key(2), x).data());
    expect(Array.from(t(jt.random.key(2), x).data())).toEqual(a);
    expect(Array.from(t(jt.random.key(3), x).data())).not.toEqual(a);
  });

  it('rejects out-of-range options', () => {
    expect(() => randomAffine({ rotation: -1 })).toThrow(jt.ValueError);
    expect(() => randomAffine({ scale: [1.2, 1.1] })).toThrow(jt.ValueError);
  });
});
