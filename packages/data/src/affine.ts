import * as jt from '@jute/tensor';
import { bilinearSample } from './bilinear-sample';
import { checkRange, type ImageTransform, onBatch } from './image-transform';

/**
 * Warps NHWC images by affine maps, sampling bilinearly (zeros outside). `matrices` is
 * `[batch, 2, 3]`: row-major `[[a, b, ty], [c, d, tx]]` maps each output pixel `(y, x)`
 * to the input position `(a·y + b·x + ty, c·y + d·x + tx)` it reads (the inverse of the
 * motion of the content, as in `grid_sample`). Differentiable with respect to the
 * pixels and to the matrices.
 * @example
 * // Identity: [[1, 0, 0], [0, 1, 0]] for every image.
 * affineTransform(images, jt.broadcastTo(jt.array([[1, 0, 0], [0, 1, 0]]), [n, 2, 3]));
 */
export function affineTransform(
  images: jt.Array,
  matrices: jt.Array,
  options: { readonly size?: readonly [number, number] } = {},
): jt.Array {
  return onBatch('affineTransform', images, (x) => {
    const [n, h, w] = x.shape as [number, number, number];
    if (
      matrices.ndim !== 3 ||
      matrices.shape[0] !== n ||
      matrices.shape[1] !== 2 ||
      matrices.shape[2] !== 3
    )
      throw new jt.ShapeError(
        `affineTransform: matrices must be [${n}, 2, 3], got ${jt.fmtShape(matrices.shape)}`,
      );
    const [oh, ow] = options.size ?? [h, w];
    const grid = new Float32Array(oh * ow * 3);
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++) grid.set([y, xx, 1], (y * ow + xx) * 3);
    const g = jt.array(grid, { shape: [1, oh * ow, 3], dtype: x.dtype });
    // [1, P, 3] @ [n, 3, 2] → [n, P, 2]: every output pixel's input (row, column).
    const coords = jt.matmul(g, jt.transpose(jt.cast(matrices, x.dtype), [0, 2, 1]));
    return bilinearSample(x, jt.reshape(coords, [n, oh, ow, 2]));
  });
}

/**
 * The `[2, 3]` matrix (as `affineTransform` takes it) of a rotation by `angle` radians
 * (counter-clockwise as displayed, rows growing downwards), a zoom by `scale` and a
 * move by `shift = [down, right]` pixels, about `center = [row, column]`.
 * @example affineMatrix({ angle: Math.PI / 2, center: [13.5, 13.5] })
 */
export function affineMatrix(o: {
  readonly angle?: number;
  readonly scale?: number;
  readonly shift?: readonly [number, number];
  readonly center: readonly [number, number];
}): number[][] {
  const [a, s] = [o.angle ?? 0, o.scale ?? 1];
  const [ty, tx] = o.shift ?? [0, 0];
  const [cy, cx] = o.center;
  // Output point p reads input c + R(−angle)·(p − c − t)/s.
  const [cos, sin] = [Math.cos(a) / s, Math.sin(a) / s];
  const [py, px] = [cy + ty, cx + tx];
  return [
    [cos, sin, cy - (cos * py + sin * px)],
    [-sin, cos, cx - (-sin * py + cos * px)],
  ];
}

/**
 * Options of {@link randomAffine}; every parameter is drawn uniformly per example.
 * @example const o: RandomAffineOptions = { rotation: 10, translate: 2, scale: [0.9, 1.1] };
 */
export interface RandomAffineOptions {
  /** Largest rotation in degrees, either way (default 0). */
  readonly rotation?: number;
  /** Largest shift in pixels along each axis, either way; fractional shifts interpolate (default 0). */
  readonly translate?: number;
  /** Range of zoom factors `[lo, hi]` (default `[1, 1]`). */
  readonly scale?: readonly [number, number];
}

/**
 * Small random rotations, shifts and zooms about the image centre, sampled bilinearly
 * (zeros outside), drawn per example. `randomAffine({ rotation: 0 })` is the identity.
 * @example const warped = randomAffine({ rotation: 10, translate: 1.5 })(key, images);
 */
export function randomAffine(options: RandomAffineOptions): ImageTransform {
  const fn = 'randomAffine';
  const rot = checkRange(fn, 'rotation', options.rotation ?? 0, 0, 180);
  const tr = checkRange(fn, 'translate', options.translate ?? 0, 0, Number.MAX_VALUE);
  const [s0, s1] = options.scale ?? [1, 1];
  checkRange(fn, 'scale[0]', s0, Number.MIN_VALUE, s1);
  return (key, images) =>
    onBatch(fn, images, (x) => {
      const [n, h, w] = x.shape as [number, number, number];
      const u = jt.random.uniform(key, [n, 4], { dtype: 'float64' }).data();
      const mats = [...Array(n).keys()].flatMap((i) => {
        const [ua, uy, ux, us] = [u[4 * i]!, u[4 * i + 1]!, u[4 * i + 2]!, u[4 * i + 3]!];
        return affineMatrix({
          angle: ((2 * ua - 1) * rot * Math.PI) / 180,
          shift: [(2 * uy - 1) * tr, (2 * ux - 1) * tr],
          scale: s0 + (s1 - s0) * us,
          center: [(h - 1) / 2, (w - 1) / 2],
        }).flat();
      });
      return affineTransform(x, jt.array(mats, { shape: [n, 2, 3], dtype: x.dtype }));
    });
}
