import * as jt from '@jute/tensor';
import { checkFeatures, layerShapeError } from './errors';
import { type Initializer, ones } from './initializers';
import { EMPTY, type Layer } from './layer';

/** Options of `rmsNorm`. @example nn.rmsNorm({ eps: 1e-5 }) */
export interface RmsNormOptions {
  /** Added to the mean square (default 1e-6). */
  eps?: number;
  /** Learn a per-feature scale (default true). */
  useScale?: boolean;
  /** Default `ones`. */
  scaleInit?: Initializer;
}

/** Parameters of `rmsNorm`: the per-feature scale `[features]` (absent without `useScale`). */
export type RmsNormParams = {
  scale?: jt.Array;
};

/**
 * Root-mean-square normalization (Zhang & Sennrich 2019):
 * `y = x / sqrt(mean(x², last axis) + eps) * scale`. Unlike `layerNorm` it neither
 * centres nor adds a bias, which saves a reduction and is what most recent transformers use.
 * @example
 * const norm = nn.rmsNorm();
 * const { params } = norm.init(key, [8, 16, 64]); // scale [64]
 * const { y } = norm.apply(params, x);            // [8,16,64], unit RMS per position
 */
export function rmsNorm(
  options: RmsNormOptions = {},
): Layer<RmsNormParams, Record<string, never>, object, 'rms_norm'> {
  const eps = options.eps ?? 1e-6;
  if (!(eps >= 0)) throw new jt.ValueError(`rmsNorm: eps must be >= 0, got ${eps}`);
  const kind = 'rms_norm';
  return {
    name: kind,
    init(key, inputShape) {
      if (inputShape.length < 1)
        throw layerShapeError(
          kind,
          `expected an input of rank >= 1 [..., features], got ${jt.fmtShape(inputShape)}`,
        );
      const f = inputShape[inputShape.length - 1]!;
      const params: RmsNormParams =
        options.useScale === false ? {} : { scale: (options.scaleInit ?? ones)(key, [f]) };
      return { params, state: EMPTY, outputShape: [...inputShape] };
    },
    apply(params, x, o) {
      if (params.scale) checkFeatures(kind, x.shape, params.scale.shape[0]!);
      const meanSquare = jt.mean(jt.square(x), { axis: -1, keepdims: true });
      const y = jt.mul(x, jt.rsqrt(jt.add(meanSquare, eps)));
      return { y: params.scale ? jt.mul(y, params.scale) : y, state: o?.state ?? EMPTY };
    },
  };
}
