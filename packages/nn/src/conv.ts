import * as jt from '@jute/tensor';
import { checkFeatures, checkRank, layerShapeError } from './errors';
import { type Initializer, lecunNormal, zeros } from './initializers';
import { EMPTY, type Layer } from './layer';

type Ints = number | readonly number[];

/** Options of `conv1d`, `conv2d` and `convTranspose2d`. @example nn.conv2d({ features: 32, kernelSize: 3, strides: 2, padding: 'VALID' }) */
export interface ConvLayerOptions {
  /** Output channels. */
  features: number;
  /** Window size per spatial axis (one number for all). */
  kernelSize: Ints;
  /** Default 1. */
  strides?: Ints;
  /** Default `'SAME'` (as Flax), or explicit `[lo, hi]` pairs per spatial axis. */
  padding?: jt.Padding;
  /** Kernel dilation, default 1. */
  dilation?: Ints;
  /** Feature groups (`groups = in channels` is a depthwise convolution), default 1. */
  groups?: number;
  useBias?: boolean;
  /** Default `lecunNormal`. */
  kernelInit?: Initializer;
  /** Default `zeros`. */
  biasInit?: Initializer;
}

/** Parameters of a convolution: kernel `[...window, in / groups, out]`, bias `[out]`. */
export type ConvParams = {
  kernel: jt.Array;
  bias?: jt.Array;
};

/** Expands a per-axis option (one number for all axes) and validates it. @example perAxis('conv2d', 'strides', 2, 2, 1) // [2, 2] */
export const perAxis = (
  kind: string,
  what: string,
  v: Ints | undefined,
  n: number,
  dflt: number,
): number[] => {
  const out =
    v === undefined
      ? new Array<number>(n).fill(dflt)
      : typeof v === 'number'
        ? new Array<number>(n).fill(v)
        : [...v];
  if (out.length !== n || out.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new jt.ValueError(
      `${kind}: ${what} must be ${n} positive integer(s), got ${JSON.stringify(v)}`,
    );
  }
  return out;
};

/** Output shape of `f` on an input and a kernel, found without computing; tensor errors are named after the layer. */
export function inferShape(
  kind: string,
  f: (x: jt.Array, w: jt.Array) => jt.Array,
  inputShape: jt.Shape,
  kernelShape: jt.Shape,
): number[] {
  try {
    const out = jt.evalShape(
      ([x, w]) => [f(x!, w!)],
      [
        { shape: inputShape, dtype: 'float32' },
        { shape: kernelShape, dtype: 'float32' },
      ],
    );
    const shape = [...out[0]!.shape];
    if (shape.some((d) => d <= 0))
      throw new jt.ShapeError(`output shape ${jt.fmtShape(shape)} is empty`);
    return shape;
  } catch (e) {
    if (e instanceof jt.ShapeError)
      throw layerShapeError(kind, `input ${jt.fmtShape(inputShape)}: ${e.message}`);
    throw e;
  }
}

function convLayer<K extends string>(
  kind: K,
  ns: number,
  options: ConvLayerOptions,
  transposed: boolean,
): Layer<ConvParams, Record<string, never>, object, K> {
  const {
    features,
    useBias = true,
    kernelInit = lecunNormal,
    biasInit = zeros,
    padding = 'SAME',
  } = options;
  if (!Number.isInteger(features) || features < 1)
    throw new jt.ValueError(`${kind}: features must be a positive integer, got ${features}`);
  const window = perAxis(kind, 'kernelSize', options.kernelSize, ns, 1);
  const strides = perAxis(kind, 'strides', options.strides, ns, 1);
  const dilation = perAxis(kind, 'dilation', options.dilation, ns, 1);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || features % groups !== 0) {
    throw new jt.ValueError(
      `${kind}: groups (${groups}) must be a positive integer dividing features (${features})`,
    );
  }
  if (transposed && groups !== 1) throw new jt.ValueError(`${kind}: groups are not supported`);
  const layout = ns === 1 ? '[batch, width, channels]' : '[batch, height, width, channels]';
  const run = (x: jt.Array, w: jt.Array) =>
    transposed
      ? jt.convTranspose(x, w, { strides, padding, dilation })
      : jt.conv(x, w, { strides, padding, dilation, featureGroupCount: groups });
  return {
    name: kind,
    init(key, inputShape) {
      checkRank(kind, inputShape, ns + 2, layout);
      const inC = inputShape[ns + 1]!;
      if (inC % groups !== 0)
        throw layerShapeError(
          kind,
          `${inC} input channels do not split into ${groups} groups (input ${jt.fmtShape(inputShape)})`,
        );
      const kernelShape = [...window, inC / groups, features];
      const outputShape = inferShape(kind, run, inputShape, kernelShape);
      const [kk, kb] = jt.random.split(key, 2);
      const params: ConvParams = { kernel: kernelInit(kk!, kernelShape) };
      if (useBias) params.bias = biasInit(kb!, [features]);
      return { params, state: EMPTY, outputShape };
    },
    apply(params, x, o) {
      checkRank(kind, x.shape, ns + 2, layout);
      checkFeatures(kind, x.shape, params.kernel.shape[ns]! * groups, 'input channels');
      const y = run(x, params.kernel);
      return { y: params.bias ? jt.add(y, params.bias) : y, state: o?.state ?? EMPTY };
    },
  };
}

/**
 * 2-D convolution over NHWC images with an HWIO kernel `[kh, kw, in / groups, features]`.
 * @example
 * const conv = nn.conv2d({ features: 32, kernelSize: [3, 3], strides: 1, padding: 'SAME' });
 * const { params } = conv.init(key, [64, 28, 28, 1]); // kernel [3,3,1,32]
 */
export const conv2d = (
  options: ConvLayerOptions,
): Layer<ConvParams, Record<string, never>, object, 'conv2d'> =>
  convLayer('conv2d', 2, options, false);

/**
 * 1-D convolution over `[batch, width, channels]` with a kernel `[k, in / groups, features]`.
 * @example nn.conv1d({ features: 16, kernelSize: 5, padding: 'VALID' })
 */
export const conv1d = (
  options: ConvLayerOptions,
): Layer<ConvParams, Record<string, never>, object, 'conv1d'> =>
  convLayer('conv1d', 1, options, false);

/**
 * 2-D transposed convolution (as `jax.lax.conv_transpose`, kernel `[kh, kw, in, features]`):
 * with `'SAME'` padding and stride `s` the output is `s` times larger.
 * @example nn.convTranspose2d({ features: 8, kernelSize: 3, strides: 2 }) // [n,7,7,c] → [n,14,14,8]
 */
export const convTranspose2d = (
  options: Omit<ConvLayerOptions, 'groups'>,
): Layer<ConvParams, Record<string, never>, object, 'conv_transpose2d'> =>
  convLayer('conv_transpose2d', 2, options, true);
