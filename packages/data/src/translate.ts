import * as jt from '@jute/tensor';
import { cropWindows } from './crop-windows';
import { checkRange, type ImageTransform, onBatch } from './image-transform';

/**
 * Moves each image by a whole number of pixels, `shifts[n] = [down, right]` (negative:
 * up, left), filling the uncovered border with zeros: `out[y, x] = in[y − down, x − right]`.
 * Differentiable with respect to the pixels.
 * @example translate(images, [[1, 0], [0, -2]]) // first image one pixel down, second two left
 */
export function translate(
  images: jt.Array,
  shifts: ReadonlyArray<readonly [number, number]>,
): jt.Array {
  return onBatch('translate', images, (x) => {
    const [n, h, w] = x.shape as [number, number, number];
    if (shifts.length !== n)
      throw new jt.ShapeError(`translate: ${shifts.length} shifts for a batch of ${n} images`);
    for (const s of shifts)
      if (!s.every(Number.isInteger))
        throw new jt.ValueError(`translate: shifts must be integers, got [${s.join(', ')}]`);
    const pad = Math.max(0, ...shifts.flatMap(([dy, dx]) => [Math.abs(dy), Math.abs(dx)]));
    // Shifting by more than the image would only read padding: clamp, the result is zeros.
    const p = Math.min(pad, Math.max(h, w));
    const clamp = (v: number) => Math.max(-p, Math.min(p, v));
    const offsets = shifts.map(([dy, dx]) => [p - clamp(dy), p - clamp(dx)] as const);
    return cropWindows(x, p, offsets, [h, w]);
  });
}

/**
 * Options of {@link randomTranslate}.
 * @example const o: RandomTranslateOptions = { maxShift: 3 };
 */
export interface RandomTranslateOptions {
  /** Largest shift in pixels along each axis; shifts are uniform in `[-maxShift, maxShift]`. */
  readonly maxShift: number;
}

/**
 * Moves every image by a random whole number of pixels along each axis, independently
 * per example, zero-filling the border.
 * @example const shifted = randomTranslate({ maxShift: 2 })(key, images);
 */
export function randomTranslate(options: RandomTranslateOptions): ImageTransform {
  const m = options.maxShift;
  if (!(Number.isSafeInteger(m) && m >= 0))
    throw new jt.ValueError(`randomTranslate: maxShift must be an integer >= 0, got ${m}`);
  return (key, images) =>
    onBatch('randomTranslate', images, (x) => {
      const n = x.shape[0]!;
      const s = jt.random.randint(key, [n, 2], -m, m + 1).data();
      return translate(
        x,
        [...Array(n).keys()].map((i) => [s[2 * i]!, s[2 * i + 1]!] as const),
      );
    });
}

/**
 * Options of {@link randomCrop}.
 * @example const o: RandomCropOptions = { padding: 4 };
 */
export interface RandomCropOptions {
  /** Zeros added on every side before cropping (pixels, ≥ 0). */
  readonly padding: number;
  /** Output `[height, width]`; the input's size by default. */
  readonly size?: readonly [number, number];
}

/**
 * Pads every image with zeros, then cuts a window of `size` at a uniformly random
 * position, per example (the CIFAR recipe: `padding: 4` on 32×32). With the default
 * size this is a random translation by up to `padding` pixels.
 * @example const crops = randomCrop({ padding: 2 })(key, images);
 */
export function randomCrop(options: RandomCropOptions): ImageTransform {
  const p = options.padding;
  if (!(Number.isSafeInteger(p) && p >= 0))
    throw new jt.ValueError(`randomCrop: padding must be an integer >= 0, got ${p}`);
  return (key, images) =>
    onBatch('randomCrop', images, (x) => {
      const [n, h, w] = x.shape as [number, number, number];
      const [oh, ow] = options.size ?? [h, w];
      if (!(Number.isSafeInteger(oh) && Number.isSafeInteger(ow) && oh >= 1 && ow >= 1))
        throw new jt.ValueError(
          `randomCrop: size must be two positive integers, got [${oh}, ${ow}]`,
        );
      checkRange('randomCrop', 'size[0]', oh, 1, h + 2 * p);
      checkRange('randomCrop', 'size[1]', ow, 1, w + 2 * p);
      const [ky, kx] = jt.random.split(key, 2);
      const ys = jt.random.randint(ky!, [n], 0, h + 2 * p - oh + 1).data();
      const xs = jt.random.randint(kx!, [n], 0, w + 2 * p - ow + 1).data();
      const offsets = [...Array(n).keys()].map((i) => [ys[i]!, xs[i]!] as const);
      return cropWindows(x, p, offsets, [oh, ow]);
    });
}
