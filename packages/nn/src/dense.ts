import * as jt from '@jute/tensor';
import { checkFeatures, layerShapeError } from './errors';
import { type Initializer, lecunNormal, zeros } from './initializers';
import { EMPTY, type Layer } from './layer';

/** Options of `dense`. @example nn.dense({ features: 10, useBias: false, kernelInit: nn.glorotUniform }) */
export interface DenseOptions {
  /** Output features. */
  features: number;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Default `lecunNormal` (as Flax). */
  kernelInit?: Initializer;
  /** Default `zeros`. */
  biasInit?: Initializer;
}

/** Parameters of `dense`: kernel `[in, out]`, bias `[out]` (absent without `useBias`). */
export type DenseParams = {
  kernel: jt.Array;
  bias?: jt.Array;
};

/**
 * A fully connected layer `y = x @ kernel + bias` over the last axis; leading axes are
 * batch axes.
 * @example
 * const layer = nn.dense({ features: 10 });
 * const { params } = layer.init(key, [32, 784]); // kernel [784,10], bias [10]
 * const { y } = layer.apply(params, x);           // [32,10]
 */
export function dense(
  options: DenseOptions,
): Layer<DenseParams, Record<string, never>, object, 'dense'> {
  const { features, useBias = true, kernelInit = lecunNormal, biasInit = zeros } = options;
  if (!Number.isInteger(features) || features < 1)
    throw new jt.ValueError(`dense: features must be a positive integer, got ${features}`);
  return {
    name: 'dense',
    init(key, inputShape) {
      if (inputShape.length < 1)
        throw layerShapeError(
          'dense',
          `expected an input of rank >= 1 [..., features], got ${jt.fmtShape(inputShape)}`,
        );
      const inF = inputShape[inputShape.length - 1]!;
      const [kk, kb] = jt.random.split(key, 2);
      const params: DenseParams = { kernel: kernelInit(kk!, [inF, features]) };
      if (useBias) params.bias = biasInit(kb!, [features]);
      return { params, state: EMPTY, outputShape: [...inputShape.slice(0, -1), features] };
    },
    apply(params, input, o) {
      // Plain JS arrays are accepted, as by every op.
      const x = jt.asArray(input);
      checkFeatures('dense', x.shape, params.kernel.shape[0]!);
      const y = jt.matmul(x, params.kernel);
      return { y: params.bias ? jt.add(y, params.bias) : y, state: o?.state ?? EMPTY };
    },
  };
}
