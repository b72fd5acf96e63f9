import * as jt from '@jute/tensor';
import { affine, initAffine, type NormParams } from './batch-norm';
import { checkFeatures, layerShapeError } from './errors';
import type { Initializer } from './initializers';
import { EMPTY, type Layer } from './layer';

/** Options of `layerNorm` and `instanceNorm`. @example nn.layerNorm({ eps: 1e-6, useBias: false }) */
export interface NormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale (default true). */
  useScale?: boolean;
  /** Learn a per-feature bias (default true). */
  useBias?: boolean;
  scaleInit?: Initializer;
  biasInit?: Initializer;
}

/** `(x - mean) / sqrt(var + eps)` over `axis`. */
export function normalize(x: jt.Array, axis: number[], eps: number): jt.Array {
  const centered = jt.sub(x, jt.mean(x, { axis, keepdims: true }));
  const variance = jt.mean(jt.square(centered), { axis, keepdims: true });
  return jt.mul(centered, jt.rsqrt(jt.add(variance, eps)));
}

/**
 * Layer normalization (Ba et al. 2016): each example is normalized over its last axis,
 * then scaled and shifted per feature. Identical in training and inference.
 * @example
 * const ln = nn.layerNorm();
 * const { params } = ln.init(key, [8, 10, 64]); // scale [64], bias [64]
 */
export function layerNorm(
  options: NormOptions = {},
): Layer<NormParams, Record<string, never>, object, 'layer_norm'> {
  const eps = options.eps ?? 1e-5;
  return {
    name: 'layer_norm',
    init(key, inputShape) {
      if (inputShape.length < 1)
        throw layerShapeError(
          'layer_norm',
          `expected an input of rank >= 1 [..., features], got ${jt.fmtShape(inputShape)}`,
        );
      return {
        params: initAffine(key, inputShape[inputShape.length - 1]!, options),
        state: EMPTY,
        outputShape: [...inputShape],
      };
    },
    apply(params, x, o) {
      const f = (params.scale ?? params.bias)?.shape[0];
      if (f !== undefined) checkFeatures('layer_norm', x.shape, f);
      return { y: affine(normalize(x, [x.ndim - 1], eps), params), state: o?.state ?? EMPTY };
    },
  };
}
