import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pngToDigit } from './image';

/**
 * Encodes a 28×28 MNIST digit (ink 1, background 0) as an RGBA PNG `scale` times larger,
 * dark ink on white paper as a user's drawing would be.
 */
function digitPng(pixels: Float32Array, scale: number, o: { transparent?: boolean } = {}) {
  const side = 28 * scale;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const ink = pixels[Math.floor(y / scale) * 28 + Math.floor(x / scale)]!;
      const i = 4 * (y * side + x);
      if (o.transparent) {
        // Black ink whose coverage is the alpha channel, on nothing.
        png.data.set([0, 0, 0, Math.round(255 * ink)], i);
      } else {
        const v = Math.round(255 * (1 - ink));
        png.data.set([v, v, v, 255], i);
      }
    }
  }
  return PNG.sync.write(png);
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++)
    [ab, aa, bb] = [ab + a[i]! * b[i]!, aa + a[i]! ** 2, bb + b[i]! ** 2];
  return ab / Math.sqrt(aa * bb);
};

let digits: Float32Array[];
beforeAll(async () => {
  const mnist = await datasets.loadMnist({ seed: 0 })();
  if (E.isLeft(mnist)) throw new Error(data.formatDataError(mnist.left));
  const images = jt.slice(mnist.right.test.images, [0], [5]).data() as Float32Array;
  digits = [0, 1, 2, 3, 4].map((i) => images.slice(i * 784, (i + 1) * 784));
}, 60_000);

describe('pngToDigit', () => {
  it('recovers an MNIST digit drawn dark on light at 56×56', () => {
    for (const digit of digits) {
      const got = pngToDigit(digitPng(digit, 2), 'x.png');
      expect(E.isRight(got)).toBe(true);
      const img = (got as E.Right<Float32Array>).right;
      expect(img).toHaveLength(784);
      expect(Math.min(...img)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...img)).toBeLessThanOrEqual(1);
      // Inverted (ink is bright), cropped and re-centred: close to the original.
      expect(cosine(img, digit)).toBeGreaterThan(0.99);
    }
  });

  it('treats transparent pixels as paper', () => {
    const got = pngToDigit(digitPng(digits[0]!, 2, { transparent: true }), 'x.png');
    expect(cosine((got as E.Right<Float32Array>).right, digits[0]!)).toBeGreaterThan(0.99);
  });

  it('refuses a blank page (no ink), and bytes that are not a PNG', () => {
    const blank = pngToDigit(digitPng(new Float32Array(784), 1), 'blank.png');
    expect(E.isLeft(blank) && blank.left.message).toMatch(/^blank\.png: the image has no ink/);
    const bad = pngToDigit(new TextEncoder().encode('not a png'), 'bad.png');
    expect(E.isLeft(bad) && bad.left.message).toMatch(/^bad\.png: not a readable PNG/);
  });
});
