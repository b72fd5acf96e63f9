import * as jt from '@jute/tensor';
import { checkRange, type ImageTransform, onBatch } from './image-transform';

/**
 * Options of {@link randomFlip}.
 * @example const o: RandomFlipOptions = { probability: 0.5 };
 */
export interface RandomFlipOptions {
  /** Chance that an example is mirrored (default 0.5). */
  readonly probability?: number;
}

/**
 * Mirrors each image left to right with probability `probability`, per example. (Not
 * for digits or text, whose meaning changes when mirrored.)
 * @example const flipped = randomFlip()(key, images);
 */
export function randomFlip(options: RandomFlipOptions = {}): ImageTransform {
  const p = checkRange('randomFlip', 'probability', options.probability ?? 0.5, 0, 1);
  return (key, images) =>
    onBatch('randomFlip', images, (x) => {
      const mirror = jt.random.bernoulli(key, p, [x.shape[0]!, 1, 1, 1]);
      return jt.where(mirror, jt.flip(x, 2), x);
    });
}
