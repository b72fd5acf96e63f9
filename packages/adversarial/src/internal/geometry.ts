import * as jt from '@jute/tensor';
import type { Norm } from '../attack';

/** The axes of one example: all but the batch axis. */
const featureAxes = (x: jt.Array): number[] => [...Array(x.ndim).keys()].slice(1);

/**
 * Each example's L2 norm, shaped to broadcast against `x` (`[batch, 1, ..., 1]`),
 * kept away from 0 so that dividing by it is safe for an all-zero example.
 */
export function exampleNorms(x: jt.Array): jt.Array {
  const sq = jt.sum(jt.square(x), { axis: featureAxes(x), keepdims: true });
  return jt.maximum(jt.sqrt(sq), 1e-12);
}

/**
 * The steepest-ascent direction of unit norm for a gradient: its sign under L∞ (the
 * corner of the unit cube that maximises ⟨g, d⟩), `g / ‖g‖₂` per example under L2.
 */
export function steepestDirection(g: jt.Array, norm: Norm): jt.Array {
  return norm === 'linf' ? jt.sign(g) : jt.div(g, exampleNorms(g));
}

/**
 * Projects `x` onto the ε-ball around `x0` (per example) and then onto the input range.
 * Clipping to a box keeps a point of the L∞ ball inside it; for L2 the range clip moves
 * each coordinate towards `x0`'s, which only shortens the perturbation.
 */
export function project(
  x: jt.Array,
  x0: jt.Array,
  eps: number,
  norm: Norm,
  range: readonly [number, number] | null,
): jt.Array {
  const delta = jt.sub(x, x0);
  const inBall =
    norm === 'linf'
      ? jt.clip(delta, -eps, eps)
      : jt.mul(delta, jt.minimum(1, jt.div(eps, exampleNorms(delta))));
  const moved = jt.add(x0, inBall);
  return range === null ? moved : jt.clip(moved, range[0], range[1]);
}

/**
 * A uniform random point of the ε-ball around 0 for every example. Under L2: a Gaussian
 * direction (uniform on the sphere) scaled to radius `ε·u^(1/d)`, which is uniform in
 * volume.
 */
export function randomInBall(key: jt.Array, x: jt.Array, eps: number, norm: Norm): jt.Array {
  const dtype = x.dtype;
  if (norm === 'linf') return jt.random.uniform(key, x.shape, { minval: -eps, maxval: eps, dtype });
  const [kDir, kRadius] = jt.random.split(key, 2);
  const dir = jt.random.normal(kDir!, x.shape, { dtype });
  const d = x.size / Math.max(1, x.shape[0]!);
  const radiusShape = [x.shape[0]!, ...featureAxes(x).map(() => 1)];
  const u = jt.random.uniform(kRadius!, radiusShape, { dtype });
  const radius = jt.mul(jt.pow(u, 1 / d), eps);
  return jt.mul(jt.div(dir, exampleNorms(dir)), radius);
}
