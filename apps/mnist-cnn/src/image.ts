import { centreDigit } from '@jute/app-kit';
import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';

export interface ImageError {
  readonly _tag: 'ImageError';
  readonly message: string;
}

/** Largest side accepted: 4096 px (64 MiB of RGBA once decoded). */
export const MAX_SIDE = 4096;
/** Smallest side accepted: fewer pixels than this cannot hold a recognisable digit. */
export const MIN_SIDE = 8;
/** A pixel counts as ink when it differs from the background by more than this (of 1). */
const INK_CONTRAST = 0.25;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height from a PNG's IHDR chunk, read before anything is decoded (a decoder
 * allocates width × height × 4 bytes up front, whatever the file's size: a 68-byte file
 * claiming 30000×30000 cost 10 GB). `undefined` for bytes that are no PNG; the decoder
 * then reports them.
 */
export function pngDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  // After the signature: chunk length (4), type 'IHDR' (4), width (4), height (4), big-endian.
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16, false), height: view.getUint32(20, false) };
}

const imageError = (message: string): E.Either<ImageError, never> =>
  E.left({ _tag: 'ImageError', message });

/**
 * Turns any PNG into an MNIST-style 28×28 digit: grayscale, white strokes on black
 * (inverted when the background is light), cropped to the ink, scaled so the longer side
 * is 20 px, and centred by its centre of mass, as the MNIST images were prepared.
 * Refused with an `ImageError`: sides outside [{@link MIN_SIDE}, {@link MAX_SIDE}]
 * (checked from the header, before decoding), and images with no ink (blank, one colour
 * or fully transparent), which a classifier would otherwise still label.
 */
export function pngToDigit(bytes: Uint8Array, path: string): E.Either<ImageError, Float32Array> {
  const dims = pngDimensions(bytes);
  if (dims !== undefined) {
    const { width, height } = dims;
    if (width > MAX_SIDE || height > MAX_SIDE)
      return imageError(
        `${path}: the image is ${width}×${height} pixels; the largest accepted is ${MAX_SIDE}×${MAX_SIDE}`,
      );
    if (width < MIN_SIDE || height < MIN_SIDE)
      return imageError(
        `${path}: the image is ${width}×${height} pixels; a digit needs at least ${MIN_SIDE}×${MIN_SIDE}`,
      );
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch (e) {
    return imageError(`${path}: not a readable PNG (${(e as Error).message})`);
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
  const background = border.reduce((s, v) => s + v, 0) / border.length;
  const lightBackground = background > 0.5;
  const ink = gray.map((v) => (lightBackground ? 1 - v : v));
  // Ink is what stands out from the paper: a blank, uniformly grey or fully transparent
  // image has none, and classifying it would only return the model's bias.
  const paper = lightBackground ? 1 - background : background;
  if (!ink.some((v) => v - paper > INK_CONTRAST))
    return imageError(`${path}: the image has no ink (it is blank or a single colour)`);
  return E.right(centreDigit(ink, w, h));
}
