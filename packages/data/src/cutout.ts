import * as jt from '@jute/tensor';
import { type ImageTransform, onBatch } from './image-transform';

/**
 * Options of {@link cutout}.
 * @example const o: CutoutOptions = { size: 8 };
 */
export interface CutoutOptions {
  /** Side of the square patch in pixels (a positive integer). */
  readonly size: number;
  /** The value written into the patch (default 0). */
  readonly value?: number;
}

/**
 * Cutout (DeVries & Taylor, 2017): sets a `size × size` square of every image to
 * `value`, centred on a uniformly random pixel, per example (squares may hang over the
 * border, so edges are covered less). The mask is a constant, so the gradient with
 * respect to the other pixels is untouched.
 * @example const holed = cutout({ size: 8 })(key, images);
 */
export function cutout(options: CutoutOptions): ImageTransform {
  const { size } = options;
  if (!(Number.isSafeInteger(size) && size >= 1))
    throw new jt.ValueError(`cutout: size must be a positive integer, got ${size}`);
  const value = options.value ?? 0;
  return (key, images) =>
    onBatch('cutout', images, (x) => {
      const [n, h, w] = x.shape as [number, number, number];
      const [ky, kx] = jt.random.split(key, 2);
      const cy = jt.random.randint(ky!, [n], 0, h).data();
      const cx = jt.random.randint(kx!, [n], 0, w).data();
      const keep = new Uint8Array(n * h * w).fill(1);
      const lo = Math.floor(size / 2);
      for (let b = 0; b < n; b++) {
        const [y0, x0] = [cy[b]! - lo, cx[b]! - lo];
        for (let y = Math.max(0, y0); y < Math.min(h, y0 + size); y++)
          keep.fill(0, (b * h + y) * w + Math.max(0, x0), (b * h + y) * w + Math.min(w, x0 + size));
      }
      const mask = jt.array(keep, { shape: [n, h, w, 1], dtype: 'bool' });
      return jt.where(mask, x, value);
    });
}
