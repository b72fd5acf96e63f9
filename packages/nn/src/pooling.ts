import * as jt from '@jute/tensor';
import { inferShape } from './conv';
import { checkRank, layerShapeError } from './errors';
import { EMPTY, type Layer } from './layer';

/** Options of `maxPool2d` and `avgPool2d`. @example nn.maxPool2d({ window: 3, strides: 2, padding: 'SAME' }) */
export interface PoolLayerOptions {
  /** Window per spatial axis (one number for both). */
  window: number | readonly number[];
  /** Default: the window (non-overlapping). */
  strides?: number | readonly number[];
  /** Default `'VALID'`. */
  padding?: jt.Padding;
}

type NoParams = Layer<Record<string, never>, Record<string, never>>;

function poolLayer(
  kind: string,
  pool: (x: jt.Array, o: jt.PoolOptions) => jt.Array,
  options: PoolLayerOptions,
): NoParams {
  const o: jt.PoolOptions = { window: options.window, padding: options.padding ?? 'VALID' };
  if (options.strides !== undefined) o.strides = options.strides;
  const layout = '[batch, height, width, channels]';
  return {
    name: kind,
    init(_key, inputShape) {
      checkRank(kind, inputShape, 4, layout);
      return {
        params: EMPTY,
        state: EMPTY,
        outputShape: inferShape(kind, (x) => pool(x, o), inputShape, []),
      };
    },
    apply(_params, x, opts) {
      checkRank(kind, x.shape, 4, layout);
      return { y: pool(x, o), state: opts?.state ?? EMPTY };
    },
  };
}

/**
 * Max pooling over NHWC windows (strides default to the window, padding to `'VALID'`).
 * @example nn.maxPool2d({ window: [2, 2] }) // [n,28,28,c] → [n,14,14,c]
 */
export const maxPool2d = (options: PoolLayerOptions): NoParams =>
  poolLayer('max_pool2d', jt.maxPool, options);

/**
 * Average pooling over NHWC windows; with `'SAME'` padding only real inputs are averaged.
 * @example nn.avgPool2d({ window: 2, strides: 2 })
 */
export const avgPool2d = (options: PoolLayerOptions): NoParams =>
  poolLayer('avg_pool2d', jt.avgPool, options);

function globalPool(kind: string, reduce: (x: jt.Array, axis: number[]) => jt.Array): NoParams {
  const check = (shape: jt.Shape) => {
    if (shape.length < 3)
      throw layerShapeError(
        kind,
        `expected an input of rank >= 3 [batch, ...spatial, channels], got ${jt.fmtShape(shape)}`,
      );
  };
  const axes = (rank: number) => Array.from({ length: rank - 2 }, (_, i) => i + 1);
  return {
    name: kind,
    init(_key, inputShape) {
      check(inputShape);
      return {
        params: EMPTY,
        state: EMPTY,
        outputShape: [inputShape[0]!, inputShape[inputShape.length - 1]!],
      };
    },
    apply(_params, x, o) {
      check(x.shape);
      return { y: reduce(x, axes(x.ndim)), state: o?.state ?? EMPTY };
    },
  };
}

/**
 * Averages over every spatial axis: `[batch, ...spatial, channels]` → `[batch, channels]`.
 * @example nn.sequential(nn.conv2d({ features: 16, kernelSize: 3 }), nn.globalAvgPool(), nn.dense({ features: 10 }))
 */
export const globalAvgPool = (): NoParams =>
  globalPool('global_avg_pool', (x, axis) => jt.mean(x, { axis }));

/**
 * Maximum over every spatial axis: `[batch, ...spatial, channels]` → `[batch, channels]`.
 * @example nn.globalMaxPool()
 */
export const globalMaxPool = (): NoParams =>
  globalPool('global_max_pool', (x, axis) => jt.max(x, { axis }));

/**
 * Flattens every axis but the first (batch): `[n, h, w, c]` → `[n, h*w*c]`.
 * @example nn.sequential(nn.conv2d({ features: 8, kernelSize: 3 }), nn.flatten(), nn.dense({ features: 10 }))
 */
export function flatten(): NoParams {
  return {
    name: 'flatten',
    init(_key, inputShape) {
      if (inputShape.length < 1)
        throw layerShapeError(
          'flatten',
          `expected an input with a batch axis, got ${jt.fmtShape(inputShape)}`,
        );
      return {
        params: EMPTY,
        state: EMPTY,
        outputShape: [inputShape[0]!, jt.sizeOf(inputShape.slice(1))],
      };
    },
    apply(_params, x, o) {
      if (x.ndim < 1)
        throw layerShapeError(
          'flatten',
          `expected an input with a batch axis, got ${jt.fmtShape(x.shape)}`,
        );
      return {
        y: jt.reshape(x, [x.shape[0]!, jt.sizeOf(x.shape.slice(1))]),
        state: o?.state ?? EMPTY,
      };
    },
  };
}
