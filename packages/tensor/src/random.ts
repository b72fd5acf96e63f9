import { Array, ConcreteArray } from './core/array';
import { type DType, isFloat } from './core/dtype';
import { DTypeError, fmtShape, ShapeError, ValueError } from './core/errors';
import type { RandomSampleParams } from './core/primitives';
import { randomBits as bitsOf, keyWords } from './core/random-bits';
import { checkShape, type Shape } from './core/shape';
import { bind1 } from './core/trace';
import { type ArrayLike, asArray } from './ops/creation';
import { add, less, log, neg } from './ops/elementwise';
import { take } from './ops/indexing';
import { argmax } from './ops/reduce';
import { reshape, slice } from './ops/structural';

// Threefry-2x32 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", 2011) in
// core/random-bits.ts: a counter-based generator, so keys split and fold without state.
export { ndtri } from './core/random-bits';

function checkKey(op: string, key: Array): Array {
  if (!(key instanceof Array) || key.dtype !== 'int32' || key.ndim !== 1 || key.shape[0] !== 2) {
    throw new ValueError(
      `${op}: expected a key (int32[2] from jt.random.key), got ${key instanceof Array ? `${key.dtype}${fmtShape(key.shape)}` : typeof key}`,
    );
  }
  return key;
}

/**
 * Samples from a key through the `random_sample` primitive, so random ops run inside
 * `jit` (where the key is traced) and under `vmap` over keys.
 */
function sample(
  op: string,
  k: Array,
  dist: RandomSampleParams['dist'],
  shape: Shape,
  dtype: DType,
  args: readonly number[] = [],
): Array {
  const s = checkShape(op, shape);
  return bind1('random_sample', [checkKey(op, k)], { dist, shape: s, dtype, args });
}

/**
 * `n` pseudo-random 32-bit words from a concrete key: the hash of the counters 0..n-1.
 * For samplers written in JS (data shuffling); inside `jit` use the array samplers.
 */
export function randomBits(key: Array, n: number): Uint32Array {
  return bitsOf(keyWords(checkKey('random.randomBits', key).data()), n);
}

/**
 * A PRNG key from an integer seed. Same key, same numbers, everywhere.
 * @example const key = jt.random.key(0);
 */
export function key(seed: number): Array {
  if (!Number.isSafeInteger(seed))
    throw new ValueError(`random.key: seed must be a safe integer, got ${seed}`);
  const hi = Math.floor(seed / 2 ** 32);
  return new ConcreteArray(new Int32Array([hi | 0, seed | 0]), [2], 'int32');
}

/**
 * `n` new independent keys (a JS array).
 * @example const [k1, k2] = jt.random.split(key, 2);
 */
export function split(k: Array, n = 2): Array[] {
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(`random.split: n must be a positive integer, got ${n}`);
  const keys = sample('random.split', k, 'bits', [n, 2], 'int32');
  return [...globalThis.Array(n).keys()].map((i) => reshape(slice(keys, [i, 0], [i + 1, 2]), [2]));
}

/**
 * A new key derived from `k` and an integer (an epoch or step number).
 * @example const epochKey = jt.random.foldIn(key, epoch);
 */
export function foldIn(k: Array, data: number): Array {
  if (!Number.isInteger(data))
    throw new ValueError(`random.foldIn: data must be an integer, got ${data}`);
  return sample('random.foldIn', k, 'fold_in', [2], 'int32', [data]);
}

function floatDType(op: string, dtype: DType | undefined): DType {
  const d = dtype ?? 'float32';
  if (!isFloat(d)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${d}`);
  return d;
}

/**
 * Uniform samples in `[minval, maxval)`.
 * @example jt.random.uniform(key, [3, 3], { minval: -1, maxval: 1 })
 */
export function uniform(
  k: Array,
  shape: Shape,
  options: { minval?: number; maxval?: number; dtype?: DType } = {},
): Array {
  const dtype = floatDType('random.uniform', options.dtype);
  return sample('random.uniform', k, 'uniform', shape, dtype, [
    options.minval ?? 0,
    options.maxval ?? 1,
  ]);
}

/**
 * Standard normal samples (by the inverse CDF of uniform samples).
 * @example jt.random.normal(key, [2, 3])
 */
export function normal(k: Array, shape: Shape, options: { dtype?: DType } = {}): Array {
  const dtype = floatDType('random.normal', options.dtype);
  return sample('random.normal', k, 'normal', shape, dtype);
}

/**
 * Normal samples truncated to `[lower, upper]` (in standard deviations).
 * @example jt.random.truncatedNormal(key, [64, 32], { lower: -2, upper: 2 })
 */
export function truncatedNormal(
  k: Array,
  shape: Shape,
  options: { lower?: number; upper?: number; dtype?: DType } = {},
): Array {
  const dtype = floatDType('random.truncatedNormal', options.dtype);
  const lower = options.lower ?? -2;
  const upper = options.upper ?? 2;
  if (!(lower < upper))
    throw new ValueError(`random.truncatedNormal: lower ${lower} must be below upper ${upper}`);
  return sample('random.truncatedNormal', k, 'truncated_normal', shape, dtype, [lower, upper]);
}

/**
 * Booleans that are true with probability `p`.
 * @example jt.random.bernoulli(key, 0.9, [64, 128])
 */
export function bernoulli(k: Array, p: ArrayLike, shape: Shape): Array {
  return less(uniform(k, shape), p);
}

/**
 * Samples class indices from unnormalized log-probabilities (Gumbel-max trick).
 * @example jt.random.categorical(key, logits) // one index per row
 */
export function categorical(k: Array, logits: ArrayLike, options: { axis?: number } = {}): Array {
  const l = asArray(logits);
  const u = uniform(k, l.shape, {
    dtype: isFloat(l.dtype) ? l.dtype : 'float32',
    minval: Number.MIN_VALUE,
  });
  const gumbel = neg(log(neg(log(u))));
  return argmax(add(l, gumbel), { axis: options.axis ?? -1 });
}

/**
 * Uniform integers in `[minval, maxval)`.
 * @example jt.random.randint(key, [10], 0, 6)
 */
export function randint(k: Array, shape: Shape, minval: number, maxval: number): Array {
  if (!Number.isInteger(minval) || !Number.isInteger(maxval) || maxval <= minval) {
    throw new ValueError(`random.randint: need integers minval < maxval, got ${minval}, ${maxval}`);
  }
  return sample('random.randint', k, 'randint', shape, 'int32', [minval, maxval]);
}

/**
 * A random permutation of `0..n-1` (int32), or of the rows of an array.
 * @example jt.random.permutation(key, 10)
 */
export function permutation(k: Array, n: number | Array): Array {
  const size = typeof n === 'number' ? n : n.shape[0];
  if (size === undefined || !Number.isInteger(size) || size < 0) {
    throw new ShapeError(
      `random.permutation: expected a non-negative integer or an array with a leading axis`,
    );
  }
  const perm = sample('random.permutation', k, 'permutation', [size], 'int32');
  if (typeof n === 'number') return perm;
  return take(n, perm, { axis: 0 });
}
