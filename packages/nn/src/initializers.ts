import * as jt from '@jute/tensor';

/**
 * Draws an initial parameter of `shape` from `key`. Fans follow the layouts of the
 * design: the last axis is the output axis, the one before it the input axis, and any
 * leading axes (a conv kernel's window) are the receptive field.
 * @example const w = nn.glorotUniform(jt.random.key(0), [784, 128]);
 */
export type Initializer = (key: jt.Array, shape: jt.Shape, dtype?: jt.DType) => jt.Array;

/** `[fanIn, fanOut]` of a kernel shape (dense `[in, out]`, conv `[...window, in, out]`). */
export function fans(shape: jt.Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  const receptive = jt.sizeOf(shape.slice(0, -2));
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

/** Standard deviation of a standard normal truncated to [-2, 2]. */
const TRUNCATED_STD = 0.8796256610342398;

/** Options of `varianceScaling`. @example nn.varianceScaling(1, { mode: 'fanAvg', distribution: 'uniform' }) */
export interface VarianceScalingOptions {
  /** Which fan divides the scale. */
  mode: 'fanIn' | 'fanOut' | 'fanAvg';
  distribution: 'truncatedNormal' | 'normal' | 'uniform';
}

/**
 * Samples with variance `scale / fan` (as `jax.nn.initializers.variance_scaling`); the
 * truncated normal is rescaled so that the variance is exact.
 * @example const init = nn.varianceScaling(2, { mode: 'fanIn', distribution: 'normal' });
 */
export function varianceScaling(scale: number, options: VarianceScalingOptions): Initializer {
  return (key, shape, dtype = 'float32') => {
    const [fanIn, fanOut] = fans(shape);
    const fan =
      options.mode === 'fanIn' ? fanIn : options.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, fan);
    switch (options.distribution) {
      case 'truncatedNormal':
        return jt.mul(
          jt.random.truncatedNormal(key, shape, { dtype }),
          Math.sqrt(variance) / TRUNCATED_STD,
        );
      case 'normal':
        return jt.mul(jt.random.normal(key, shape, { dtype }), Math.sqrt(variance));
      case 'uniform': {
        const limit = Math.sqrt(3 * variance);
        return jt.random.uniform(key, shape, { minval: -limit, maxval: limit, dtype });
      }
    }
  };
}

/** Glorot/Xavier uniform: `U(±sqrt(6 / (fanIn + fanOut)))` (Keras' default kernel). @example nn.dense({ features: 10, kernelInit: nn.glorotUniform }) */
export const glorotUniform: Initializer = varianceScaling(1, {
  mode: 'fanAvg',
  distribution: 'uniform',
});
/** Glorot/Xavier normal (truncated), variance `2 / (fanIn + fanOut)`. @example nn.dense({ features: 10, kernelInit: nn.glorotNormal }) */
export const glorotNormal: Initializer = varianceScaling(1, {
  mode: 'fanAvg',
  distribution: 'truncatedNormal',
});
/** He/Kaiming uniform, variance `2 / fanIn` (for ReLU networks). @example nn.conv2d({ features: 8, kernelSize: 3, kernelInit: nn.heUniform }) */
export const heUniform: Initializer = varianceScaling(2, {
  mode: 'fanIn',
  distribution: 'uniform',
});
/** He/Kaiming normal (truncated), variance `2 / fanIn`. @example nn.dense({ features: 10, kernelInit: nn.heNormal }) */
export const heNormal: Initializer = varianceScaling(2, {
  mode: 'fanIn',
  distribution: 'truncatedNormal',
});
/** LeCun uniform, variance `1 / fanIn`. @example nn.dense({ features: 10, kernelInit: nn.lecunUniform }) */
export const lecunUniform: Initializer = varianceScaling(1, {
  mode: 'fanIn',
  distribution: 'uniform',
});
/** LeCun normal (truncated), variance `1 / fanIn`: Jute's (and Flax's) default kernel initializer. @example nn.dense({ features: 10, kernelInit: nn.lecunNormal }) */
export const lecunNormal: Initializer = varianceScaling(1, {
  mode: 'fanIn',
  distribution: 'truncatedNormal',
});

/** All zeros (the default bias). @example nn.zeros(key, [4]) */
export const zeros: Initializer = (_key, shape, dtype = 'float32') => jt.zeros(shape, { dtype });
/** All ones (the default normalization scale). @example nn.ones(key, [4]) */
export const ones: Initializer = (_key, shape, dtype = 'float32') => jt.ones(shape, { dtype });
/** Every entry `value`. @example nn.dense({ features: 2, biasInit: nn.constant(0.1) }) */
export const constant =
  (value: number): Initializer =>
  (_key, shape, dtype = 'float32') =>
    jt.full(shape, value, { dtype });

/** Normal with the given standard deviation (default 1, Flax's embedding default). @example nn.embedding({ vocabSize: 100, features: 16, embeddingInit: nn.normal(0.02) }) */
export const normal =
  (stddev = 1): Initializer =>
  (key, shape, dtype = 'float32') =>
    jt.mul(jt.random.normal(key, shape, { dtype }), stddev);

/** Uniform in `[-scale, scale)`. @example nn.uniform(0.05)(key, [10, 4]) */
export const uniform =
  (scale = 0.05): Initializer =>
  (key, shape, dtype = 'float32') =>
    jt.random.uniform(key, shape, { minval: -scale, maxval: scale, dtype });

/** Normal truncated to two standard deviations, with the given standard deviation of the untruncated normal. @example nn.truncatedNormal(0.02)(key, [768, 768]) */
export const truncatedNormal =
  (stddev = 0.01): Initializer =>
  (key, shape, dtype = 'float32') =>
    jt.mul(jt.random.truncatedNormal(key, shape, { dtype }), stddev);

/**
 * Orthogonal matrices (Saxe et al. 2014), as `jax.nn.initializers.orthogonal`: the shape
 * is viewed as `[prod(shape[:-1]), shape[-1]]`; rows (or columns, whichever are fewer)
 * are orthonormal, scaled by `scale`. Computed by modified Gram-Schmidt (which is QR with
 * a positive diagonal of R) on a normal matrix, in float64. Used for recurrent kernels.
 * @example const u = nn.orthogonal()(key, [16, 16]); // u @ uᵀ = I
 */
export const orthogonal =
  (scale = 1): Initializer =>
  (key, shape, dtype = 'float32') => {
    if (shape.length < 2)
      throw new jt.ShapeError(`orthogonal: needs a shape of rank >= 2, got ${jt.fmtShape(shape)}`);
    const cols = shape[shape.length - 1]!;
    const rows = jt.sizeOf(shape) / cols;
    // A tall [n, m] matrix (n >= m) whose columns we orthonormalize.
    const n = Math.max(rows, cols);
    const m = Math.min(rows, cols);
    const a = jt.random.normal(key, [n, m], { dtype: 'float64' }).data() as Float64Array;
    const col = (j: number, i: number) => i * m + j;
    for (let j = 0; j < m; j++) {
      for (let pass = 0; pass < 2; pass++) {
        // Re-orthogonalizing once ("twice is enough") keeps Q orthonormal to rounding.
        for (let k = 0; k < j; k++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += a[col(k, i)]! * a[col(j, i)]!;
          for (let i = 0; i < n; i++) a[col(j, i)] = a[col(j, i)]! - d * a[col(k, i)]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += a[col(j, i)]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < n; i++) a[col(j, i)] = a[col(j, i)]! / norm;
    }
    let q = jt.array(a, { shape: [n, m] });
    if (rows < cols) q = jt.transpose(q);
    return jt.cast(jt.reshape(jt.mul(q, scale), shape), dtype);
  };
