import * as jt from '@jute/tensor';

/**
 * Cuts one `size` window per example out of NHWC images zero-padded by `padding` on
 * every side: example `n`'s window starts at `offsets[n]` (row, column) of the padded
 * image. One gather for the whole batch, so the gradient flows back to the pixels.
 */
export function cropWindows(
  images: jt.Array,
  padding: number,
  offsets: ReadonlyArray<readonly [number, number]>,
  size: readonly [number, number],
): jt.Array {
  const [n, h, w, c] = images.shape as [number, number, number, number];
  const [hp, wp] = [h + 2 * padding, w + 2 * padding];
  const [oh, ow] = size;
  const padded =
    padding > 0
      ? jt.pad(images, [
          [0, 0],
          [padding, padding],
          [padding, padding],
          [0, 0],
        ])
      : images;
  const index = new Int32Array(n * oh * ow);
  for (let b = 0; b < n; b++) {
    const [oy, ox] = offsets[b]!;
    for (let y = 0; y < oh; y++) {
      const row = b * hp * wp + (y + oy) * wp + ox;
      for (let x = 0; x < ow; x++) index[(b * oh + y) * ow + x] = row + x;
    }
  }
  const pixels = jt.reshape(padded, [n * hp * wp, c]);
  return jt.take(pixels, jt.array(index, { shape: [n, oh, ow], dtype: 'int32' }), { axis: 0 });
}
