import * as jt from '@jute/tensor';
import { affine, initAffine, type NormParams } from './batch-norm';
import { checkFeatures, layerShapeError } from './errors';
import { EMPTY, type Layer } from './layer';
import { type NormOptions, normalize } from './layer-norm';

/** Options of `groupNorm`. @example nn.groupNorm({ groups: 8, eps: 1e-6 }) */
export interface GroupNormOptions extends NormOptions {
  /** Number of channel groups; must divide the channels (default 32). */
  groups?: number;
}

function groupNormLayer<K extends string>(
  kind: K,
  groupsOf: (channels: number) => number,
  options: NormOptions,
): Layer<NormParams, Record<string, never>, object, K> {
  const eps = options.eps ?? 1e-5;
  const check = (shape: jt.Shape) => {
    if (shape.length < 2)
      throw layerShapeError(
        kind,
        `expected an input of rank >= 2 [batch, ...spatial, channels], got ${jt.fmtShape(shape)}`,
      );
    const c = shape[shape.length - 1]!;
    const g = groupsOf(c);
    if (c % g !== 0)
      throw layerShapeError(
        kind,
        `${c} channels do not split into ${g} groups (input ${jt.fmtShape(shape)})`,
      );
    return g;
  };
  return {
    name: kind,
    init(key, inputShape) {
      check(inputShape);
      return {
        params: initAffine(key, inputShape[inputShape.length - 1]!, options),
        state: EMPTY,
        outputShape: [...inputShape],
      };
    },
    apply(params, x, o) {
      const g = check(x.shape);
      const f = (params.scale ?? params.bias)?.shape[0];
      if (f !== undefined) checkFeatures(kind, x.shape, f, 'channels');
      const c = x.shape[x.ndim - 1]!;
      // [batch, ...spatial, groups, channels/groups], normalized over everything but batch and group.
      const grouped = jt.reshape(x, [...x.shape.slice(0, -1), g, c / g]);
      const axis = [...Array.from({ length: x.ndim - 2 }, (_, i) => i + 1), x.ndim];
      const y = jt.reshape(normalize(grouped, axis, eps), x.shape);
      return { y: affine(y, params), state: o?.state ?? EMPTY };
    },
  };
}

/**
 * Group normalization (Wu & He 2018): channels are split into `groups`, and each example's
 * group is normalized over its spatial positions and channels. No batch statistics.
 * @example nn.groupNorm({ groups: 8 }) // for [n, h, w, 32] inputs
 */
export const groupNorm = (
  options: GroupNormOptions = {},
): Layer<NormParams, Record<string, never>, object, 'group_norm'> => {
  const groups = options.groups ?? 32;
  if (!Number.isInteger(groups) || groups < 1)
    throw new jt.ValueError(`groupNorm: groups must be a positive integer, got ${groups}`);
  return groupNormLayer('group_norm', () => groups, options);
};

/**
 * Instance normalization (Ulyanov et al. 2016): each example's channel is normalized over
 * its spatial positions (group normalization with one channel per group).
 * @example nn.instanceNorm() // for [n, h, w, c] inputs
 */
export const instanceNorm = (
  options: NormOptions = {},
): Layer<NormParams, Record<string, never>, object, 'instance_norm'> =>
  groupNormLayer('instance_norm', (c) => c, options);
