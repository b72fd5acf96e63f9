import * as jt from '@jute/tensor';
import { checkFeatures, layerShapeError } from './errors';
import { type Initializer, ones, zeros } from './initializers';
import type { Layer } from './layer';

/** Options of `batchNorm`. @example nn.batchNorm({ momentum: 0.9, eps: 1e-3 }) */
export interface BatchNormOptions {
  /** Weight of the old running statistics in each update (default 0.99, as Flax and Keras). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale (default true). */
  useScale?: boolean;
  /** Learn a per-feature bias (default true). */
  useBias?: boolean;
  scaleInit?: Initializer;
  biasInit?: Initializer;
}

/** Learned affine parameters of a normalization layer, `[features]` each. */
export type NormParams = {
  scale?: jt.Array;
  bias?: jt.Array;
};

/** Running statistics of `batchNorm`, `[features]` each. */
export interface BatchNormState {
  mean: jt.Array;
  var: jt.Array;
}

/** Applies the optional learned scale and bias of a normalization layer. */
export const affine = (y: jt.Array, p: NormParams): jt.Array => {
  const scaled = p.scale ? jt.mul(y, p.scale) : y;
  return p.bias ? jt.add(scaled, p.bias) : scaled;
};

/** Creates the optional scale and bias of a normalization layer. */
export function initAffine(
  key: jt.Array,
  features: number,
  o: { useScale?: boolean; useBias?: boolean; scaleInit?: Initializer; biasInit?: Initializer },
): NormParams {
  const [ks, kb] = jt.random.split(key, 2);
  const p: NormParams = {};
  if (o.useScale ?? true) p.scale = (o.scaleInit ?? ones)(ks!, [features]);
  if (o.useBias ?? true) p.bias = (o.biasInit ?? zeros)(kb!, [features]);
  return p;
}

/**
 * Batch normalization over the last (feature) axis. Training normalizes with the batch's
 * mean and (biased) variance over all other axes and returns the state with updated
 * running averages `momentum * old + (1 - momentum) * batch`; inference normalizes with
 * the running statistics and returns the state unchanged. The state is never updated in
 * place: keep the `state` that `apply` returns.
 * @example
 * const bn = nn.batchNorm({ momentum: 0.9 });
 * const { params, state } = bn.init(key, [32, 16]);
 * const { y, state: next } = bn.apply(params, x, { state, training: true });
 * const { y: yEval } = bn.apply(params, x, { state: next });
 */
export function batchNorm(
  options: BatchNormOptions = {},
): Layer<NormParams, BatchNormState, object, 'batch_norm'> {
  const momentum = options.momentum ?? 0.99;
  const eps = options.eps ?? 1e-5;
  if (!(momentum >= 0 && momentum <= 1))
    throw new jt.ValueError(`batchNorm: momentum must be in [0, 1], got ${momentum}`);
  return {
    name: 'batch_norm',
    init(key, inputShape) {
      if (inputShape.length < 1)
        throw layerShapeError(
          'batch_norm',
          `expected an input of rank >= 1 [..., features], got ${jt.fmtShape(inputShape)}`,
        );
      const f = inputShape[inputShape.length - 1]!;
      return {
        params: initAffine(key, f, options),
        state: { mean: jt.zeros([f]), var: jt.ones([f]) },
        outputShape: [...inputShape],
      };
    },
    apply(params, x, o) {
      const state = o?.state;
      if (!state || !(state.mean instanceof jt.Array)) {
        throw new jt.ValueError(
          'batch_norm: apply needs the running statistics: pass { state } from init (or the previous apply)',
        );
      }
      checkFeatures('batch_norm', x.shape, state.mean.shape[0]!);
      if (!o?.training) {
        return {
          y: affine(jt.mul(jt.sub(x, state.mean), jt.rsqrt(jt.add(state.var, eps))), params),
          state,
        };
      }
      const axis = Array.from({ length: x.ndim - 1 }, (_, i) => i);
      const mean = jt.mean(x, { axis });
      const centered = jt.sub(x, mean);
      const variance = jt.mean(jt.square(centered), { axis });
      const y = affine(jt.mul(centered, jt.rsqrt(jt.add(variance, eps))), params);
      const update = (old: jt.Array, batch: jt.Array) =>
        jt.add(jt.mul(old, momentum), jt.mul(jt.stopGradient(batch), 1 - momentum));
      return { y, state: { mean: update(state.mean, mean), var: update(state.var, variance) } };
    },
  };
}
