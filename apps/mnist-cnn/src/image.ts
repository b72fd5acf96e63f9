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

/** Crops to the ink, resizes into a 20×20 box (area sampling) and centres it by mass in 28×28. */
export function centreDigit(ink: Float32Array, w: number, h: number): Float32Array {
  let [x0, y0, x1, y1] = [w, h, -1, -1];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x]! > 0.1)
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  const out = new Float32Array(28 * 28);
  if (x1 < 0) return out;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  const box = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      // Average the source pixels that fall in this target pixel.
      const sx0 = x0 + Math.floor(tx / scale);
      const sx1 = Math.max(sx0 + 1, x0 + Math.floor((tx + 1) / scale));
      const sy0 = y0 + Math.floor(ty / scale);
      const sy1 = Math.max(sy0 + 1, y0 + Math.floor((ty + 1) / scale));
      let sum = 0;
      let n = 0;
      for (let sy = sy0; sy < Math.min(sy1, h); sy++)
        for (let sx = sx0; sx < Math.min(sx1, w); sx++, n++) sum += ink[sy * w + sx]!;
      box[ty * tw + tx] = n ? sum / n : 0;
    }
  }
  let [mx, my, mass] = [0, 0, 0];
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++)
      [mx, my, mass] = [
        mx + x * box[y * tw + x]!,
        my + y * box[y * tw + x]!,
        mass + box[y * tw + x]!,
      ];
  const ox = Math.round(14 - (mass ? mx / mass : tw / 2));
  const oy = Math.round(14 - (mass ? my / mass : th / 2));
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, box[y * tw + x]!);
    }
  }
  return out;
}
