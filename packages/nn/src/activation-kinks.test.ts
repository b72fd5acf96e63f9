import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as nn from './index';

/**
 * Derivatives at the points where an activation's pieces meet, against the values JAX
 * computes there. Each expectation is derived by hand from JAX's definition (jax/_src/nn/
 * functions.py) and the JVP rules of the lax primitives it uses:
 * - `select(c, a, b)` (`jnp.where`) passes the tangent of the branch it picks, so a kink
 *   written as a select takes the derivative of the chosen side;
 * - `max`/`min` split the tangent evenly between operands that tie (`_balanced_eq`), which
 *   is why formulations through `minimum(x, 0)` gave ELU half its derivative at 0;
 * - a `custom_jvp` replaces the rule outright.
 */

/** d/dx f(x) at each point, elementwise (f maps elementwise, so the gradient of the sum). */
const derivative = (f: (x: jt.Array) => jt.Array, points: number[]): number[] => [
  ...grad((x: jt.Array) => jt.sum(f(x)))(jt.array(points, { dtype: 'float64' })).data(),
];

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

describe('derivatives at the kinks follow JAX', () => {
  it('relu: 0 at 0', () => {
    // jax.nn.relu is a custom_jvp with tangent select(x > 0, g, 0): at x = 0, 0.
    expect(derivative(nn.relu, [-1, 0, 1])).toEqual([0, 0, 1]);
  });

  it('elu: alpha at 0 (was alpha/2)', () => {
    // jax.nn.elu: safe = where(x > 0, 0, x); where(x > 0, x, alpha * expm1(safe)).
    // At x = 0 the second branch is taken: alpha * expm1'(0) * d(safe)/dx = alpha * 1 * 1.
    // Left and right derivatives agree (alpha = 1 makes ELU C1), so alpha is also the true one.
    expect(derivative((x) => nn.elu(x, { alpha: 1 }), [0])).toEqual([1]);
    expect(derivative((x) => nn.elu(x, { alpha: 2 }), [-1, 0, 1])).toEqual([
      2 * Math.exp(-1),
      2,
      1,
    ]);
  });

  it('selu: scale * alpha at 0 (was half)', () => {
    // jax.nn.selu = scale * elu(x, alpha): derivative scale * alpha at 0 by the elu rule.
    const [d] = derivative(nn.selu, [0]);
    expect(d).toBeCloseTo(SELU_SCALE * SELU_ALPHA, 12);
  });

  it('leakyRelu: 1 at 0', () => {
    // jax.nn.leaky_relu: where(x >= 0, x, slope * x); at 0 the x branch: 1.
    expect(derivative((x) => nn.leakyRelu(x, { negativeSlope: 0.2 }), [-1, 0, 1])).toEqual([
      0.2, 1, 1,
    ]);
  });

  it('relu6: 0 at 0 and at 6', () => {
    // jax.nn.relu6 is a custom_jvp with tangent select((x > 0) & (x < 6), g, 0).
    expect(derivative(nn.relu6, [-1, 0, 3, 6, 7])).toEqual([0, 0, 1, 0, 0]);
  });

  it('hardTanh: 1 at -1 and at 1', () => {
    // jax.nn.hard_tanh: where(x > 1, 1, where(x < -1, -1, x)); at ±1 both tests are
    // false, so the x branch: 1.
    expect(derivative(nn.hardTanh, [-2, -1, 0, 1, 2])).toEqual([0, 1, 1, 1, 0]);
  });

  it('softplus: 1/2 at 0', () => {
    // jax.nn.softplus = logaddexp(x, 0), derivative sigmoid(x): 1/2 at 0.
    expect(derivative(nn.softplus, [0])).toEqual([0.5]);
  });
});

describe('NaN propagates, as in JAX and PyTorch', () => {
  const nan = jt.array([Number.NaN, -1, 0, 7], { dtype: 'float64' });
  it.each([
    ['relu', nn.relu, [0, 0, 7]],
    ['relu6', nn.relu6, [0, 0, 6]],
    ['hardTanh', nn.hardTanh, [-1, 0, 1]],
    ['leakyRelu', (x: jt.Array) => nn.leakyRelu(x, { negativeSlope: 0.5 }), [-0.5, 0, 7]],
    ['elu', (x: jt.Array) => nn.elu(x), [Math.expm1(-1), 0, 7]],
  ] as const)('%s(NaN) is NaN and the rest is unchanged', (_, f, rest) => {
    const [first, ...others] = f(nan).data();
    expect(first).toBeNaN();
    for (const [i, v] of others.entries()) expect(v).toBeCloseTo(rest[i]!, 12);
  });
});
