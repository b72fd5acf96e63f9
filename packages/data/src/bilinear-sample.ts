import * as jt from '@jute/tensor';
import { onBatch } from './image-transform';

/**
 * Reads NHWC images at fractional pixel positions by bilinear interpolation.
 * `coords` is `[batch, outHeight, outWidth, 2]`: for every output pixel, the (row,
 * column) to read in its example's image, with pixel centres at whole numbers (so
 * `(0.5, 0)` averages the first two rows of column 0). Neighbours outside the image
 * count as zeros. Built from `jt` ops (four gathers and a weighted sum), so the
 * gradient flows to the images and to the coordinates (a spatial transformer).
 * @example
 * const img = jt.array([[[[0], [2]]]]);                    // [1, 1, 2, 1]
 * bilinearSample(img, jt.array([[[[0, 0.5]]]])).item();   // 1: halfway between 0 and 2
 */
export function bilinearSample(images: jt.Array, coords: jt.Array): jt.Array {
  return onBatch('bilinearSample', images, (x) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    if (coords.ndim !== 4 || coords.shape[0] !== n || coords.shape[3] !== 2)
      throw new jt.ShapeError(
        `bilinearSample: coords must be [${n}, outHeight, outWidth, 2] for images ${jt.fmtShape(x.shape)}, got ${jt.fmtShape(coords.shape)}`,
      );
    const [, oh, ow] = coords.shape as [number, number, number];
    const at = (i: number) => jt.squeeze(jt.slice(coords, [0, 0, 0, i], [n, oh, ow, i + 1]), 3);
    const [cy, cx] = [jt.cast(at(0), x.dtype), jt.cast(at(1), x.dtype)];
    const [y0, x0] = [jt.floor(cy), jt.floor(cx)];
    // Fractional parts: floor has a zero derivative, so the gradient with respect to the
    // coordinates flows through these weights only.
    const [fy, fx] = [jt.sub(cy, y0), jt.sub(cx, x0)];
    const [iy0, ix0] = [jt.cast(y0, 'int32'), jt.cast(x0, 'int32')];
    const base = jt.reshape(jt.mul(jt.arange(n), h * w), [n, 1, 1]);
    const pixels = jt.reshape(x, [n * h * w, c]);
    let out: jt.Array | undefined;
    for (const dy of [0, 1]) {
      for (const dx of [0, 1]) {
        const iy = jt.add(iy0, dy);
        const ix = jt.add(ix0, dx);
        const inside = jt.logicalAnd(
          jt.logicalAnd(jt.greaterEqual(iy, 0), jt.less(iy, h)),
          jt.logicalAnd(jt.greaterEqual(ix, 0), jt.less(ix, w)),
        );
        // Outside neighbours read a clamped pixel and get weight 0.
        const flat = jt.add(base, jt.add(jt.mul(jt.clip(iy, 0, h - 1), w), jt.clip(ix, 0, w - 1)));
        const wy = dy === 1 ? fy : jt.sub(1, fy);
        const wx = dx === 1 ? fx : jt.sub(1, fx);
        const weight = jt.where(inside, jt.mul(wy, wx), 0);
        const term = jt.mul(jt.take(pixels, flat, { axis: 0 }), jt.expandDims(weight, -1));
        out = out === undefined ? term : jt.add(out, term);
      }
    }
    return out!;
  });
}
