import { Array, ConcreteArray } from './core/array';
import { type DType, isFloat } from './core/dtype';
import { erf as erfApprox } from './core/erf';
import { DTypeError, fmtShape, ShapeError, ValueError } from './core/errors';
import { checkShape, type Shape, sizeOf } from './core/shape';
import { type ArrayLike, asArray } from './ops/creation';
import { add, less, log, neg } from './ops/elementwise';
import { take } from './ops/indexing';
import { argmax } from './ops/reduce';

// Threefry-2x32 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", 2011),
// 20 rounds: a counter-based generator, so keys split and fold without shared state.
const ROT = [13, 15, 26, 6, 17, 29, 16, 24];
const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;

function threefry(k0: number, k1: number, x0: Uint32Array, x1: Uint32Array): void {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  for (let i = 0; i < x0.length; i++) {
    let a = (x0[i]! + ks[0]!) >>> 0;
    let b = (x1[i]! + ks[1]!) >>> 0;
    for (let block = 0; block < 5; block++) {
      for (let r = 0; r < 4; r++) {
        a = (a + b) >>> 0;
        b = rotl(b, ROT[(block % 2) * 4 + r]!) ^ a;
      }
      a = (a + ks[(block + 1) % 3]!) >>> 0;
      b = (b + ks[(block + 2) % 3]! + block + 1) >>> 0;
    }
    x0[i] = a;
    x1[i] = b;
  }
}

function keyWords(key: Array): [number, number] {
  if (!(key instanceof Array) || key.dtype !== 'int32' || key.ndim !== 1 || key.shape[0] !== 2) {
    throw new ValueError(
      `random: expected a key (int32[2] from jt.random.key), got ${key instanceof Array ? `${key.dtype}${fmtShape(key.shape)}` : typeof key}`,
    );
  }
  const d = key.data();
  return [d[0]! >>> 0, d[1]! >>> 0];
}

/** `n` pseudo-random 32-bit words from a key: the hash of the counters 0..n-1. */
export function randomBits(key: Array, n: number): Uint32Array {
  const [k0, k1] = keyWords(key);
  const half = Math.ceil(n / 2);
  const x0 = new Uint32Array(half);
  const x1 = new Uint32Array(half);
  for (let i = 0; i < half; i++) {
    x0[i] = i;
    x1[i] = half + i;
  }
  threefry(k0, k1, x0, x1);
  const out = new Uint32Array(2 * half);
  out.set(x0, 0);
  out.set(x1, half);
  return out.subarray(0, n);
}

const keyFrom = (a: number, b: number): Array =>
  new ConcreteArray(new Int32Array([a | 0, b | 0]), [2], 'int32');

/**
 * A PRNG key from an integer seed. Same key, same numbers, everywhere.
 * @example const key = jt.random.key(0);
 */
export function key(seed: number): Array {
  if (!Number.isSafeInteger(seed))
    throw new ValueError(`random.key: seed must be a safe integer, got ${seed}`);
  const hi = Math.floor(seed / 2 ** 32);
  return keyFrom(hi, seed >>> 0);
}

/**
 * `n` new independent keys (a JS array).
 * @example const [k1, k2] = jt.random.split(key, 2);
 */
export function split(k: Array, n = 2): Array[] {
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(`random.split: n must be a positive integer, got ${n}`);
  const bits = randomBits(k, 2 * n);
  return [...globalThis.Array(n).keys()].map((i) => keyFrom(bits[2 * i]!, bits[2 * i + 1]!));
}

/**
 * A new key derived from `k` and an integer (an epoch or step number).
 * @example const epochKey = jt.random.foldIn(key, epoch);
 */
export function foldIn(k: Array, data: number): Array {
  if (!Number.isInteger(data))
    throw new ValueError(`random.foldIn: data must be an integer, got ${data}`);
  const x0 = new Uint32Array([0]);
  const x1 = new Uint32Array([data >>> 0]);
  const [k0, k1] = keyWords(k);
  threefry(k0, k1, x0, x1);
  return keyFrom(x0[0]!, x1[0]!);
}

function floatDType(op: string, dtype: DType | undefined): DType {
  const d = dtype ?? 'float32';
  if (!isFloat(d)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${d}`);
  return d;
}

/** Uniform floats in [0, 1) with 24 (float32) or 53 (float64) random bits. */
function unitFloats(k: Array, shape: Shape, dtype: DType): Float64Array {
  const n = sizeOf(checkShape('random', shape));
  const wide = dtype === 'float64';
  const bits = randomBits(k, wide ? 2 * n : n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = wide
      ? ((bits[2 * i]! >>> 5) * 67108864 + (bits[2 * i + 1]! >>> 6)) / 9007199254740992
      : (bits[i]! >>> 8) / 16777216;
  }
  return out;
}

const fromFloats = (data: Float64Array, shape: Shape, dtype: DType): Array =>
  new ConcreteArray(dtype === 'float64' ? data : Float32Array.from(data), [...shape], dtype);

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
  const lo = options.minval ?? 0;
  const hi = options.maxval ?? 1;
  const u = unitFloats(k, shape, dtype);
  for (let i = 0; i < u.length; i++) u[i] = lo + (hi - lo) * u[i]!;
  return fromFloats(u, shape, dtype);
}

/** The inverse of the standard normal CDF (Acklam's rational approximation plus one Newton step). */
export function ndtri(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowP = 0.02425;
  let x: number;
  if (p < lowP) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lowP) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

const normalCdf = (x: number) => 0.5 * (1 + erfApprox(x / Math.SQRT2));

/**
 * Standard normal samples (by the inverse CDF of uniform samples).
 * @example jt.random.normal(key, [2, 3])
 */
export function normal(k: Array, shape: Shape, options: { dtype?: DType } = {}): Array {
  const dtype = floatDType('random.normal', options.dtype);
  const u = unitFloats(k, shape, dtype);
  // Shift off 0 so the inverse CDF stays finite.
  for (let i = 0; i < u.length; i++) u[i] = ndtri(u[i]! * (1 - 2 ** -53) + 2 ** -54);
  return fromFloats(u, shape, dtype);
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
  const [a, b] = [normalCdf(lower), normalCdf(upper)];
  const u = unitFloats(k, shape, dtype);
  for (let i = 0; i < u.length; i++)
    u[i] = Math.min(upper, Math.max(lower, ndtri(a + (b - a) * u[i]!)));
  return fromFloats(u, shape, dtype);
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
  const u = unitFloats(k, shape, 'float64');
  const out = new Int32Array(u.length);
  for (let i = 0; i < u.length; i++) out[i] = minval + Math.floor(u[i]! * (maxval - minval));
  return new ConcreteArray(out, [...shape], 'int32');
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
  const bits = randomBits(k, size);
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = i;
  // Fisher-Yates driven by the hashed counters; 32 bits per swap keeps the bias below 2^-32·n.
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor((bits[i]! / 4294967296) * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  const perm = new ConcreteArray(out, [size], 'int32');
  if (typeof n === 'number') return perm;
  return take(n, perm, { axis: 0 });
}
