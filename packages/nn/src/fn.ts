import * as jt from '@jute/tensor';
import { layerShapeError } from './errors';
import { EMPTY, type Layer } from './layer';

/** A layer without parameters or state. */
export type FnLayer = Layer<Record<string, never>, Record<string, never>>;

/**
 * Wraps a shape-polymorphic function of one array as a layer without parameters; its
 * output shape is found with `jt.evalShape` (nothing is computed at init).
 * @example nn.sequential(nn.dense({ features: 8 }), nn.fn((x) => nn.leakyRelu(x, { negativeSlope: 0.2 }), 'leaky_relu'))
 */
export function fn(f: (x: jt.Array) => jt.Array, name = 'fn'): FnLayer {
  return {
    name,
    init(_key, inputShape) {
      let outputShape: number[];
      try {
        outputShape = [
          ...jt.evalShape(([x]) => [f(x!)], [{ shape: inputShape, dtype: 'float32' }])[0]!.shape,
        ];
      } catch (e) {
        if (e instanceof jt.ShapeError) throw layerShapeError(name, e.message);
        throw e;
      }
      return { params: EMPTY, state: EMPTY, outputShape };
    },
    apply(_params, x, options) {
      return { y: f(x), state: options?.state ?? EMPTY };
    },
  };
}
