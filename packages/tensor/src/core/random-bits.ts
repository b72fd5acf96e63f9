import { allocate, type TypedArray } from './dtype';
import { erf } from './erf';
import type { RandomSampleParams } from './primitives';

// Threefry-2x32 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", 2011),
// 20 rounds: a counter-based generator, so keys split and fold without shared state.
const ROT = [13, 15, 26, 6, 17, 29, 16, 24];
const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;

export function threefry(k0: number, k1: number, x0: Uint32Array, x1: Uint32Array): void {
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

/** `n` pseudo-random 32-bit words from a key's words: the hash of the counters 0..n-1. */
export function randomBits([k0, k1]: readonly [number, number], n: number): Uint32Array {
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

/** Uniform floats in [0, 1) with 24 (float32) or 53 (float64) random bits. */
export function unitFloats(
  words: readonly [number, number],
  n: number,
  wide: boolean,
): Float64Array {
  const bits = randomBits(words, wide ? 2 * n : n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = wide
      ? ((bits[2 * i]! >>> 5) * 67108864 + (bits[2 * i + 1]! >>> 6)) / 9007199254740992
      : (bits[i]! >>> 8) / 16777216;
  }
  return out;
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

export const normalCdf = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));

/** A key's two words from its int32 data. */
export const keyWords = (d: ArrayLike<number>): [number, number] => [d[0]! >>> 0, d[1]! >>> 0];

/**
 * The samples of one `random_sample` equation, from the key's data: every random op of
 * `jt.random` is this function of a key, so it runs the same eagerly and inside `jit`.
 */
export function sampleRandom(
  keyData: ArrayLike<number>,
  p: RandomSampleParams,
  n: number,
): TypedArray {
  const words = keyWords(keyData);
  const wide = p.dtype === 'float64';
  const out = allocate(p.dtype, n);
  switch (p.dist) {
    case 'uniform': {
      const [lo, hi] = p.args as [number, number];
      const u = unitFloats(words, n, wide);
      for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * u[i]!;
      return out;
    }
    case 'normal': {
      const u = unitFloats(words, n, wide);
      // Shift off 0 so the inverse CDF stays finite.
      for (let i = 0; i < n; i++) out[i] = ndtri(u[i]! * (1 - 2 ** -53) + 2 ** -54);
      return out;
    }
    case 'truncated_normal': {
      const [lower, upper] = p.args as [number, number];
      const [a, b] = [normalCdf(lower), normalCdf(upper)];
      const u = unitFloats(words, n, wide);
      for (let i = 0; i < n; i++)
        out[i] = Math.min(upper, Math.max(lower, ndtri(a + (b - a) * u[i]!)));
      return out;
    }
    case 'randint': {
      const [lo, hi] = p.args as [number, number];
      const u = unitFloats(words, n, true);
      for (let i = 0; i < n; i++) out[i] = lo + Math.floor(u[i]! * (hi - lo));
      return out;
    }
    case 'bits': {
      out.set(randomBits(words, n));
      return out;
    }
    case 'fold_in': {
      const x0 = new Uint32Array([0]);
      const x1 = new Uint32Array([p.args[0]! >>> 0]);
      threefry(words[0], words[1], x0, x1);
      out[0] = x0[0]! | 0;
      out[1] = x1[0]! | 0;
      return out;
    }
    case 'permutation': {
      const bits = randomBits(words, n);
      for (let i = 0; i < n; i++) out[i] = i;
      // Fisher-Yates driven by the hashed counters; 32 bits per swap keeps the bias below 2^-32·n.
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor((bits[i]! / 4294967296) * (i + 1));
        const t = out[i]!;
        out[i] = out[j]!;
        out[j] = t;
      }
      return out;
    }
  }
}
