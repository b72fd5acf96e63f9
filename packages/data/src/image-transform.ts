import * as jt from '@jute/tensor';

/**
 * A random image transform: a key and a batch of NHWC images `[batch, height, width,
 * channels]` (or one HWC image) to images. Pure: the same key and images give the
 * same result. Every example of a batch draws its own parameters from the key.
 * @example const t: ImageTransform = randomTranslate({ maxShift: 2 }); t(key, images);
 */
export type ImageTransform = (key: jt.Array, images: jt.Array) => jt.Array;

/**
 * Applies transforms in order, each with its own key split from `key`.
 * @example
 * const augment = chainTransforms(randomTranslate({ maxShift: 2 }), gaussianNoise({ std: 0.05 }));
 * const x2 = augment(key, x);
 */
export function chainTransforms(...transforms: readonly ImageTransform[]): ImageTransform {
  return (key, images) => {
    if (transforms.length === 0) return images;
    const keys = jt.random.split(key, transforms.length);
    return transforms.reduce((x, t, i) => t(keys[i]!, x), images);
  };
}

/**
 * Runs `f` on NHWC images: a rank-3 HWC image gets a batch axis of 1 for the call and
 * loses it after. Other ranks and integer dtypes are errors naming `fn`.
 */
export function onBatch(fn: string, images: jt.Array, f: (x: jt.Array) => jt.Array): jt.Array {
  if (!jt.isFloat(images.dtype))
    throw new jt.DTypeError(`${fn}: images must be float, got ${images.dtype}`);
  if (images.ndim === 3) return jt.squeeze(f(jt.expandDims(images, 0)), 0);
  if (images.ndim !== 4)
    throw new jt.ShapeError(
      `${fn}: images must be [batch, height, width, channels] or [height, width, channels], got ${jt.fmtShape(images.shape)}`,
    );
  return f(images);
}

/** Checks an option is a finite number within `[lo, hi]`. */
export function checkRange(fn: string, name: string, v: number, lo: number, hi: number): number {
  if (!(Number.isFinite(v) && v >= lo && v <= hi))
    throw new jt.ValueError(`${fn}: ${name} must lie in [${lo}, ${hi}], got ${v}`);
  return v;
}
