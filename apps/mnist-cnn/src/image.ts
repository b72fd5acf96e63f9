import { centreDigit } from '@jute/app-kit';
import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';

export interface ImageError {
  readonly _tag: 'ImageError';
  readonly message: string;
}

/**
 * Turns any PNG into an MNIST-style 28×28 digit: grayscale, white strokes on black
 * (inverted when the background is light), cropped to the ink, scaled so the longer side
 * is 20 px, and centred by its centre of mass, as the MNIST images were prepared.
 */
export function pngToDigit(bytes: Uint8Array, path: string): E.Either<ImageError, Float32Array> {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch (e) {
    return E.left({
      _tag: 'ImageError',
      message: `${path}: not a readable PNG (${(e as Error).message})`,
    });
  }
  const { width: w, height: h, data } = png;
  const gray = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = data[4 * i + 3]! / 255;
    const lum = (0.299 * data[4 * i]! + 0.587 * data[4 * i + 1]! + 0.114 * data[4 * i + 2]!) / 255;
    // Transparent pixels count as background (white paper).
    gray[i] = a * lum + (1 - a);
  }
  const border = [...Array(w).keys()].flatMap((x) => [gray[x]!, gray[(h - 1) * w + x]!]);
  const lightBackground = border.reduce((s, v) => s + v, 0) / border.length > 0.5;
  const ink = gray.map((v) => (lightBackground ? 1 - v : v));
  return E.right(centreDigit(ink, w, h));
}
