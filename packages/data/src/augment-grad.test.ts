import { checkGrads, grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { affineTransform } from './affine';
import { bilinearSample } from './bilinear-sample';
import { gaussianNoise } from './gaussian-noise';
import { mixup } from './mixup';
import { translate } from './translate';

// The augmentations are compositions of jt ops, so transforms see through them: these
// tests differentiate through each one (float64, against finite differences).

const f64 = (x: jt.Array) => jt.cast(x, 'float64');
const img = f64(jt.random.uniform(jt.random.key(0), [2, 4, 5, 2]));
const weights = f64(jt.random.normal(jt.random.key(1), [2, 3, 3, 2]));

describe('gradients through augmentations', () => {
  it('bilinearSample: with respect to the pixels and to the coordinates', () => {
    // Coordinates away from whole numbers, where the interpolation is smooth.
    const coords = jt.add(
      f64(jt.random.uniform(jt.random.key(2), [2, 3, 3, 2], { minval: -0.8, maxval: 3.8 })),
      0.013,
    );
    const f = (x: jt.Array, c: jt.Array) => jt.sum(jt.mul(bilinearSample(x, c), weights));
    checkGrads(f, [img, coords], { order: 1, modes: ['rev'] });
  });

  it('affineTransform: with respect to the pixels and to the matrix', () => {
    const m = jt.array(
      [
        [0.9, 0.2, 0.31],
        [-0.1, 1.1, 0.27],
        [1.05, -0.15, 0.12],
        [0.12, 0.95, -0.21],
      ],
      { shape: [2, 2, 3], dtype: 'float64' },
    );
    const w = f64(jt.random.normal(jt.random.key(3), [2, 4, 5, 2]));
    const f = (x: jt.Array, a: jt.Array) => jt.sum(jt.mul(affineTransform(x, a), w));
    checkGrads(f, [img, m], { order: 1, modes: ['rev'] });
  });

  it('translate and noise pass the gradient to the pixels they keep', () => {
    const moved = grad((x: jt.Array) =>
      jt.sum(
        translate(x, [
          [1, 0],
          [0, 0],
        ]),
      ),
    )(img);
    // Example 0 moved down by one: its last row fell off and gets no gradient.
    const g = moved.toArray() as number[][][][];
    expect(g[0]![3]![0]).toEqual([0, 0]);
    expect(g[0]![0]![0]).toEqual([1, 1]);
    expect(g[1]![3]![4]).toEqual([1, 1]);
    const noisy = grad((x: jt.Array) => jt.sum(gaussianNoise({ std: 0.1 })(jt.random.key(4), x)))(
      img,
    );
    for (const v of noisy.data()) expect(v).toBe(1);
  });

  it('mixup: d(sum x̃)/dx_i = λ_i + Σ over partners j of i of (1 − λ_j) sums to the batch size', () => {
    const y = jt.array([0, 1], { dtype: 'int32' });
    const f = (x: jt.Array) =>
      jt.sum(mixup(jt.random.key(5), x, y, { alpha: 0.5, numClasses: 2 }).x);
    checkGrads(f, [img], { order: 1, modes: ['rev'] });
    // Each mixed example is a convex combination, so the weights of all examples sum to 2.
    const g = grad(f)(img);
    const perExample = jt.sum(g, { axis: [1, 2, 3] });
    expect(jt.sum(perExample).item()).toBeCloseTo(2 * 4 * 5 * 2, 6);
  });
});
