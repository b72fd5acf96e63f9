import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { cutout } from './cutout';
import { gaussianNoise } from './gaussian-noise';
import { chainTransforms } from './image-transform';
import { randomFlip } from './random-flip';
import { randomTranslate } from './translate';

const values = (a: jt.Array) => Array.from(a.data());
const img = jt.array([1, 2, 3, 4, 5, 6], { shape: [1, 2, 3, 1] });

describe('randomFlip', () => {
  it('mirrors left to right with probability 1, never with 0', () => {
    expect(values(randomFlip({ probability: 1 })(jt.random.key(0), img))).toEqual([
      3, 2, 1, 6, 5, 4,
    ]);
    expect(values(randomFlip({ probability: 0 })(jt.random.key(0), img))).toEqual(values(img));
  });

  it('flips some examples of a batch and not others at 0.5', () => {
    const batch = jt.broadcastTo(img, [16, 2, 3, 1]);
    const out = values(randomFlip()(jt.random.key(1), batch));
    const firsts = [...Array(16).keys()].map((i) => out[6 * i]);
    expect(new Set(firsts)).toEqual(new Set([1, 3]));
  });
});

describe('gaussianNoise', () => {
  it('adds zero-mean noise of the given spread, and clips to the range', () => {
    const x = jt.full([8, 16, 16, 1], 0.5);
    const noisy = gaussianNoise({ std: 0.1 })(jt.random.key(2), x);
    const d = jt.sub(noisy, x);
    expect(Math.abs(jt.mean(d).item() as number)).toBeLessThan(0.01);
    expect(jt.std(d).item()).toBeCloseTo(0.1, 2);
    const clipped = values(gaussianNoise({ std: 1, range: [0, 1] })(jt.random.key(3), x));
    expect(Math.min(...clipped)).toBe(0);
    expect(Math.max(...clipped)).toBe(1);
  });
});

describe('cutout', () => {
  it('blanks one square per example, centred inside the image', () => {
    const x = jt.ones([10, 8, 8, 1]);
    const out = values(cutout({ size: 4 })(jt.random.key(4), x));
    for (let b = 0; b < 10; b++) {
      const zeros: [number, number][] = [];
      for (let i = 0; i < 64; i++) if (out[b * 64 + i] === 0) zeros.push([i >> 3, i & 7]);
      // A 4×4 square with its centre inside keeps at least 2×2 of itself on the image.
      expect(zeros.length).toBeGreaterThanOrEqual(4);
      expect(zeros.length).toBeLessThanOrEqual(16);
      const ys = zeros.map((z) => z[0]);
      const xs = zeros.map((z) => z[1]);
      const h = Math.max(...ys) - Math.min(...ys) + 1;
      const w = Math.max(...xs) - Math.min(...xs) + 1;
      expect(h * w).toBe(zeros.length); // a rectangle: the square, clipped by the border
    }
  });
});

describe('chainTransforms', () => {
  it('applies transforms in order with keys split from one key', () => {
    const x = jt.random.uniform(jt.random.key(5), [3, 4, 4, 1]);
    const t1 = randomTranslate({ maxShift: 1 });
    const t2 = gaussianNoise({ std: 0.1 });
    const [k1, k2] = jt.random.split(jt.random.key(6), 2);
    const want = values(t2(k2!, t1(k1!, x)));
    expect(values(chainTransforms(t1, t2)(jt.random.key(6), x))).toEqual(want);
    expect(values(chainTransforms()(jt.random.key(6), x))).toEqual(values(x));
  });
});
