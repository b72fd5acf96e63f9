import * as jt from '@jute/tensor';
import { checkRange, type ImageTransform, onBatch } from './image-transform';

/**
 * Options of {@link gaussianNoise}.
 * @example const o: GaussianNoiseOptions = { std: 0.1, range: [0, 1] };
 */
export interface GaussianNoiseOptions {
  /** Standard deviation of the noise added to every pixel (≥ 0). */
  readonly std: number;
  /** Clip the result to `[lo, hi]` (e.g. `[0, 1]` for pixels); unclipped by default. */
  readonly range?: readonly [number, number];
}

/**
 * Adds independent Gaussian noise `N(0, std²)` to every pixel, then optionally clips.
 * Differentiable with respect to the images (the noise is a constant).
 * @example const noisy = gaussianNoise({ std: 0.1, range: [0, 1] })(key, images);
 */
export function gaussianNoise(options: GaussianNoiseOptions): ImageTransform {
  const std = checkRange('gaussianNoise', 'std', options.std, 0, Number.MAX_VALUE);
  const range = options.range;
  if (range && !(range[0] < range[1]))
    throw new jt.ValueError(`gaussianNoise: range must be [lo, hi] with lo < hi`);
  return (key, images) =>
    onBatch('gaussianNoise', images, (x) => {
      const noisy = jt.add(x, jt.mul(jt.random.normal(key, x.shape, { dtype: x.dtype }), std));
      return range ? jt.clip(noisy, range[0], range[1]) : noisy;
    });
}
