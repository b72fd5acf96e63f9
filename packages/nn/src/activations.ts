import * as jt from '@jute/tensor';
import { EMPTY, type Layer } from './layer';

/**
 * An activation: callable as a function (`nn.relu(x)`) and usable as a layer without
 * parameters (`nn.sequential(nn.dense({ features: 8 }), nn.relu)`), where it runs with
 * its default options.
 * @example const y = nn.gelu(x, { approximate: false });
 */
export type Activation<O extends object = object> = ((x: jt.ArrayLike, options?: O) => jt.Array) &
  Layer<Record<string, never>, Record<string, never>>;

function activation<O extends object>(
  name: string,
  f: (x: jt.Array, options: O) => jt.Array,
): Activation<O> {
  const call = (x: jt.ArrayLike, options?: O) => f(toFloat(x), options ?? ({} as O));
  Object.defineProperty(call, 'name', { value: name });
  return Object.assign(call, {
    init: (_key: jt.Array, inputShape: jt.Shape) => ({
      params: EMPTY,
      state: EMPTY,
      outputShape: [...inputShape],
    }),
    apply: (_params: unknown, x: jt.Array, options?: { state?: Record<string, never> }) => ({
      y: f(toFloat(x), {} as O),
      state: options?.state ?? EMPTY,
    }),
  }) as unknown as Activation<O>;
}

const toFloat = (x: jt.ArrayLike): jt.Array => {
  const a = jt.asArray(x);
  return jt.isFloat(a.dtype) ? a : jt.cast(a, 'float32');
};

/** The logistic function `1 / (1 + e^-x)`. @example nn.sigmoid(x) */
export const sigmoid: Activation = activation('sigmoid', (x) => jt.sigmoid(x));
/** Hyperbolic tangent. @example nn.tanh(x) */
export const tanh: Activation = activation('tanh', (x) => jt.tanh(x));
/**
 * `max(x, 0)`, with JAX's conventions: the derivative at 0 is 0 (`jax.nn.relu`'s custom
 * JVP), and NaN stays NaN (`x <= 0` is false for NaN, so the select passes `x` through;
 * `where(x > 0, x, 0)` would turn NaN into 0 and hide a divergence).
 * @example nn.sequential(nn.dense({ features: 32 }), nn.relu)
 */
export const relu: Activation = activation('relu', (x) => jt.where(jt.lessEqual(x, 0), 0, x));
/**
 * `min(max(x, 0), 6)`. As `jax.nn.relu6`: derivative 0 at both kinks (0 and 6), NaN stays NaN.
 * @example nn.relu6(x)
 */
export const relu6: Activation = activation('relu6', (x) =>
  jt.where(jt.lessEqual(x, 0), 0, jt.where(jt.greaterEqual(x, 6), 6, x)),
);
/**
 * `x` clipped to `[-1, 1]`. As `jax.nn.hard_tanh`: derivative 1 at ±1 (the selects pick `x`
 * there), NaN stays NaN.
 * @example nn.hardTanh(x)
 */
export const hardTanh: Activation = activation('hard_tanh', (x) =>
  jt.where(jt.greater(x, 1), 1, jt.where(jt.less(x, -1), -1, x)),
);
/** `x` for `x >= 0`, `negativeSlope * x` below (default slope 0.01); derivative 1 at 0, as in JAX. @example nn.leakyRelu(x, { negativeSlope: 0.2 }) */
export const leakyRelu: Activation<{ negativeSlope?: number }> = activation('leaky_relu', (x, o) =>
  jt.where(jt.greaterEqual(x, 0), x, jt.mul(x, o.negativeSlope ?? 0.01)),
);
// The negative branch sees a safe input (0 where x > 0) so its unused gradient cannot be
// NaN for large x, chosen by a select rather than min(x, 0): at x = 0 min splits its
// derivative between its operands and the gradient came out alpha/2 instead of alpha.
const eluOf = (x: jt.Array, alpha: number) => {
  const positive = jt.greater(x, 0);
  return jt.where(positive, x, jt.mul(jt.expm1(jt.where(positive, 0, x)), alpha));
};
/** `x` for `x > 0`, `alpha * (e^x - 1)` below (default alpha 1); derivative `alpha` at 0, as in JAX. @example nn.elu(x, { alpha: 1 }) */
export const elu: Activation<{ alpha?: number }> = activation('elu', (x, o) =>
  eluOf(x, o.alpha ?? 1),
);
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
/** Scaled ELU (Klambauer et al. 2017), self-normalizing with LeCun-normal weights. @example nn.selu(x) */
export const selu: Activation = activation('selu', (x) => jt.mul(eluOf(x, SELU_ALPHA), SELU_SCALE));
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
/**
 * Gaussian error linear unit. The tanh approximation is the default (as in JAX);
 * `approximate: false` gives the exact `x * Φ(x)` through `jt.erf`.
 * @example nn.gelu(x); nn.gelu(x, { approximate: false })
 */
export const gelu: Activation<{ approximate?: boolean }> = activation('gelu', (x, o) => {
  if (o.approximate === false)
    return jt.mul(jt.mul(x, 0.5), jt.add(jt.erf(jt.mul(x, Math.SQRT1_2)), 1));
  const inner = jt.mul(jt.add(x, jt.mul(jt.mul(jt.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
  return jt.mul(jt.mul(x, 0.5), jt.add(jt.tanh(inner), 1));
});
/** `x * sigmoid(x)` (also called swish). @example nn.silu(x) */
export const silu: Activation = activation('silu', (x) => jt.mul(x, jt.sigmoid(x)));
/** `log(1 + e^x)`, computed stably. @example nn.softplus(x) */
export const softplus: Activation = activation('softplus', (x) => jt.softplus(x));
/** Softmax along `axis` (default last). @example nn.softmax(logits, { axis: -1 }) */
export const softmax: Activation<{ axis?: number }> = activation('softmax', (x, o) =>
  jt.softmax(x, o.axis === undefined ? {} : { axis: o.axis }),
);
/** Log-softmax along `axis` (default last). @example nn.logSoftmax(logits) */
export const logSoftmax: Activation<{ axis?: number }> = activation('log_softmax', (x, o) =>
  jt.logSoftmax(x, o.axis === undefined ? {} : { axis: o.axis }),
);
