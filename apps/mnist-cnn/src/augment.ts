import * as data from '@jute/data';
import type * as jt from '@jute/tensor';

/**
 * The training augmentation of `--augment`: a small random rotation and zoom about the
 * centre, then a random shift of up to 3 pixels each way (digits in MNIST are centred
 * by their centre of mass, so a model trained on them alone has never seen one off
 * centre).
 */
export const augmentDigits: data.ImageTransform = data.chainTransforms(
  data.randomAffine({ rotation: 10, scale: [0.9, 1.1] }),
  data.randomTranslate({ maxShift: 3 }),
);

/** The four moves of {@link shiftedCopy}: 3 pixels down, up, right, left. */
const MOVES: readonly (readonly [number, number])[] = [
  [3, 0],
  [-3, 0],
  [0, 3],
  [0, -3],
];

/**
 * A copy of a test set with every digit moved by 3 pixels, down, up, right or left in
 * turn (image `i` takes move `i mod 4`): the held-out set a shift-robust model should
 * still read.
 */
export function shiftedCopy(images: jt.Array): jt.Array {
  const n = images.shape[0]!;
  return data.translate(
    images,
    [...Array(n).keys()].map((i) => MOVES[i % MOVES.length]!),
  );
}
