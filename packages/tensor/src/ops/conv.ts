import type { Array } from '../core/array';
import { windowOutSize } from '../core/conv-shape';
import { isFloat, promoteTypes } from '../core/dtype';
import { fmtShape, ShapeError, ValueError } from '../core/errors';
import type { ConvPatchesParams } from '../core/primitives';
import { sizeOf } from '../core/shape';
import { bind1 } from '../core/trace';
import { type ArrayLike, asArray, ones } from './creation';
import { cast, div } from './elementwise';
import { max, sum } from './reduce';
import { pad, reshape, transpose } from './structural';

/** `'SAME'` keeps `ceil(in / stride)` outputs, `'VALID'` uses no padding, or `[lo, hi]` per spatial axis. */
export type Padding = 'SAME' | 'VALID' | readonly (readonly [number, number])[];

export interface ConvOptions {
  strides?: number | readonly number[];
  padding?: Padding;
  /** Kernel (atrous) dilation. */
  dilation?: number | readonly number[];
  /** Input dilation: zeros between input pixels (what transposed convolution uses). */
  lhsDilation?: number | readonly number[];
  /** Split channels into groups; `featureGroupCount = C` is a depthwise convolution. */
  featureGroupCount?: number;
}

const perAxis = (
  op: string,
  v: number | readonly number[] | undefined,
  n: number,
  dflt: number,
): number[] => {
  const out: number[] =
    v === undefined
      ? globalThis.Array(n).fill(dflt)
      : typeof v === 'number'
        ? globalThis.Array(n).fill(v)
        : [...v];
  if (out.length !== n || out.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new ValueError(`${op}: expected ${n} positive integers, got ${JSON.stringify(v)}`);
  }
  return out;
};

/** Resolves SAME/VALID to explicit `[lo, hi]` pads, as XLA does. */
export function resolvePadding(
  op: string,
  padding: Padding,
  inSpatial: readonly number[],
  window: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
  lhsDilation: readonly number[],
): [number, number][] {
  if (padding === 'VALID') return inSpatial.map(() => [0, 0]);
  if (padding === 'SAME') {
    return inSpatial.map((n, i) => {
      const size = n === 0 ? 0 : (n - 1) * lhsDilation[i]! + 1;
      const eff = (window[i]! - 1) * dilation[i]! + 1;
      const out = Math.ceil(size / strides[i]!);
      const total = Math.max(0, (out - 1) * strides[i]! + eff - size);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  }
  if (
    padding.length !== inSpatial.length ||
    padding.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))
  ) {
    throw new ValueError(
      `${op}: padding must be 'SAME', 'VALID' or ${inSpatial.length} non-negative [lo, hi] pairs`,
    );
  }
  return padding.map(([l, h]) => [l, h]);
}

function patchParams(
  op: string,
  x: Array,
  window: readonly number[],
  o: ConvOptions,
  defaultStrides: number[] | undefined,
): ConvPatchesParams {
  const ns = x.ndim - 2;
  const strides = perAxis(op, o.strides, ns, 1);
  if (o.strides === undefined && defaultStrides) strides.splice(0, ns, ...defaultStrides);
  const rhsDilation = perAxis(op, o.dilation, ns, 1);
  const lhsDilation = perAxis(op, o.lhsDilation, ns, 1);
  const padding = resolvePadding(
    op,
    o.padding ?? 'VALID',
    x.shape.slice(1, -1),
    window,
    strides,
    rhsDilation,
    lhsDilation,
  );
  return { window: [...window], strides, padding, lhsDilation, rhsDilation };
}

function checkSpatialRank(op: string, x: Array): void {
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(
      `${op}: input must be NWC (rank 3) or NHWC (rank 4), got ${fmtShape(x.shape)}`,
    );
  }
}

/**
 * N-d convolution (1-D and 2-D), NHWC input and HWIO kernel, lowered to im2col
 * patches and one matrix product; grouped and depthwise via `featureGroupCount`.
 * @example jt.conv(images, kernel, { strides: [1, 1], padding: 'SAME' })
 */
export function conv(input: ArrayLike, kernel: ArrayLike, options: ConvOptions = {}): Array {
  let x = asArray(input);
  let w = asArray(kernel);
  checkSpatialRank('conv', x);
  const ns = x.ndim - 2;
  if (w.ndim !== x.ndim) {
    throw new ShapeError(
      `conv: kernel ${fmtShape(w.shape)} must have rank ${x.ndim} (HWIO) for input ${fmtShape(x.shape)}`,
    );
  }
  const groups = options.featureGroupCount ?? 1;
  const C = x.shape[x.ndim - 1]!;
  const Cg = w.shape[ns]!;
  const O = w.shape[ns + 1]!;
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0 || O % groups !== 0) {
    throw new ShapeError(
      `conv: ${C} input and ${O} output channels do not split into ${groups} groups`,
    );
  }
  if (Cg * groups !== C) {
    throw new ShapeError(
      `conv: kernel ${fmtShape(w.shape)} expects ${Cg * groups} input channels, input ${fmtShape(x.shape)} has ${C}`,
    );
  }
  const dt = promoteTypes(x.dtype, w.dtype);
  x = cast(x, dt === 'bool' || dt === 'int32' ? 'float32' : dt);
  w = cast(w, x.dtype);
  const window = w.shape.slice(0, ns);
  const p = patchParams('conv', x, window, options, undefined);
  const cols = bind1('conv_patches', [x], p);
  const outSpatial = cols.shape.slice(1, -1);
  const K = sizeOf(window);
  const NP = x.shape[0]! * sizeOf(outSpatial);
  let out: Array;
  if (groups === 1) {
    out = bind1('dot_general', [reshape(cols, [NP, K * C]), reshape(w, [K * C, O])], {
      contract: [[1], [0]],
      batch: [[], []],
    });
  } else {
    const Og = O / groups;
    const c4 = reshape(cols, [NP, K, groups, Cg]);
    const w4 = reshape(w, [K, Cg, groups, Og]);
    const g = bind1('dot_general', [c4, w4], {
      contract: [
        [1, 3],
        [0, 1],
      ],
      batch: [[2], [2]],
    });
    out = transpose(g, [1, 0, 2]);
  }
  return reshape(out, [x.shape[0]!, ...outSpatial, O]);
}

/**
 * Transposed convolution (fractionally strided), as `jax.lax.conv_transpose` with an
 * HWIO kernel of shape `[...window, inChannels, outChannels]`.
 * @example jt.convTranspose(x, kernel, { strides: [2, 2], padding: 'SAME' }) // doubles H and W
 */
export function convTranspose(
  input: ArrayLike,
  kernel: ArrayLike,
  options: {
    strides?: number | readonly number[];
    padding?: Padding;
    dilation?: number | readonly number[];
  } = {},
): Array {
  const x = asArray(input);
  const w = asArray(kernel);
  checkSpatialRank('convTranspose', x);
  const ns = x.ndim - 2;
  const strides = perAxis('convTranspose', options.strides, ns, 1);
  const dil = perAxis('convTranspose', options.dilation, ns, 1);
  const padding = options.padding ?? 'SAME';
  const pads: [number, number][] =
    typeof padding === 'string'
      ? w.shape.slice(0, ns).map((k0, i) => {
          const k = (k0 - 1) * dil[i]! + 1;
          const s = strides[i]!;
          if (padding === 'SAME') {
            const len = k + s - 2;
            const lo = s > k - 1 ? k - 1 : Math.ceil(len / 2);
            return [lo, len - lo];
          }
          const len = k + s - 2 + Math.max(k - s, 0);
          return [k - 1, len - (k - 1)];
        })
      : padding.map(([l, h]) => [l, h]);
  return conv(x, w, { strides: 1, padding: pads, lhsDilation: strides, dilation: dil });
}

export interface PoolOptions {
  window: number | readonly number[];
  /** Defaults to the window (non-overlapping pooling). */
  strides?: number | readonly number[];
  padding?: Padding;
}

function poolPatches(op: string, x: Array, o: PoolOptions, padValue: number): [Array, number] {
  checkSpatialRank(op, x);
  const ns = x.ndim - 2;
  const window = perAxis(op, o.window, ns, 1);
  const strides = perAxis(op, o.strides ?? window, ns, 1);
  const pads = resolvePadding(
    op,
    o.padding ?? 'VALID',
    x.shape.slice(1, -1),
    window,
    strides,
    window.map(() => 1),
    window.map(() => 1),
  );
  const padded = pads.some(([l, h]) => l || h)
    ? pad(x, [[0, 0], ...pads, [0, 0]], { value: padValue })
    : x;
  const p: ConvPatchesParams = {
    window,
    strides,
    padding: pads.map(() => [0, 0] as const),
    lhsDilation: window.map(() => 1),
    rhsDilation: window.map(() => 1),
  };
  const cols = bind1('conv_patches', [padded], p);
  const C = x.shape[x.ndim - 1]!;
  const K = sizeOf(window);
  for (let i = 0; i < ns; i++) {
    if (windowOutSize(padded.shape[i + 1]!, window[i]!, strides[i]!, [0, 0], 1, 1) === 0) {
      throw new ShapeError(
        `${op}: window ${fmtShape(window)} is larger than the input ${fmtShape(x.shape)}`,
      );
    }
  }
  return [reshape(cols, [...cols.shape.slice(0, -1), K, C]), ns];
}

/**
 * Max pooling over NHWC (or NWC) windows; padding never wins the max.
 * @example jt.maxPool(x, { window: [2, 2], strides: [2, 2] })
 */
export function maxPool(input: ArrayLike, options: PoolOptions): Array {
  const x = asArray(input);
  const low = x.dtype === 'int32' ? -2147483648 : Number.NEGATIVE_INFINITY;
  const [cols, ns] = poolPatches('maxPool', x, options, low);
  return max(cols, { axis: ns + 1 });
}

/**
 * Average pooling; with SAME padding each output averages only the real inputs it covers
 * (as TensorFlow does).
 * @example jt.avgPool(x, { window: [2, 2] })
 */
export function avgPool(input: ArrayLike, options: PoolOptions): Array {
  const a = asArray(input);
  const x = isFloat(a.dtype) ? a : cast(a, 'float32');
  const [cols, ns] = poolPatches('avgPool', x, options, 0);
  const total = sum(cols, { axis: ns + 1 });
  if (options.padding === undefined || options.padding === 'VALID')
    return div(total, cols.shape[ns + 1]!);
  const [count] = poolPatches(
    'avgPool',
    ones([1, ...x.shape.slice(1, -1), 1], { dtype: x.dtype }),
    options,
    0,
  );
  return div(total, sum(count, { axis: ns + 1 }));
}
