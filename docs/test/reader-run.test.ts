/**
 * Every ```ts block of every page, run as a reader runs it: copied into a scratch project whose
 * `node_modules` hold the packages as published (see scratch-package.ts), executed with plain
 * Node, and its output compared with what the page's comments say it prints.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsRoot, findPages } from './markdown';
import { DocBlockError, outputMismatches, runPageAsReader } from './reader-run';
import { createScratchPackage, distEntries, type ScratchPackage } from './scratch-package';

const fixtures = join(docsRoot, 'test', 'fixtures');
let pkg: ScratchPackage;

beforeAll(async () => {
  pkg = await createScratchPackage();
}, 120_000);
afterAll(() => pkg?.remove());

/** At most `n` page runs at once: each is a Node process, and CI has two cores. */
function limit(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (job) => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
const slot = limit(2);

const failure = (p: Promise<unknown>): Promise<DocBlockError> =>
  p.then(
    () => {
      throw new Error('expected the page to fail');
    },
    (e: unknown) => e as DocBlockError,
  );

describe('the scratch project', () => {
  it('pairs each published dist file with the source its conditions select', () => {
    const data = {
      name: '@jute/x',
      exports: {
        '.': {
          '@jute/source': { browser: './src/browser.ts', default: './src/index.ts' },
          browser: { types: './dist/browser.d.ts', default: './dist/browser.js' },
          node: { types: './dist/index.d.ts', default: './dist/index.js' },
          default: './dist/browser.js',
        },
        './core': { '@jute/source': './src/core.ts', import: './dist/core.js' },
      },
    };
    expect(distEntries(data)).toEqual([
      { out: 'browser', src: './src/browser.ts' },
      { out: 'index', src: './src/index.ts' },
      { out: 'core', src: './src/core.ts' },
    ]);
    // An app that ships its sources is not a library.
    expect(distEntries({ name: 'app', exports: { '.': { import: './src/index.ts' } } })).toEqual(
      [],
    );
  });

  it('installs the packages built, with no @jute/source condition left', () => {
    expect(pkg.packages).toContain('@jute/tensor');
    const dir = join(pkg.dir, 'node_modules', '@jute', 'tensor');
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).not.toContain('@jute/source');
  });
});

describe('runPageAsReader', () => {
  it('runs the blocks of a page in order, as one program, and records what each line printed', async () => {
    const run = await runPageAsReader(pkg, 'passing.md', fixtures);
    expect(run.blocks.map((b) => b.line)).toEqual([5, 11, 33]);
    expect(run.printed).toEqual([{ mdLine: 16, topLine: 16, method: 'log', text: 'total 6' }]);
    expect(outputMismatches(run)).toEqual([]);
  });

  it('runs nothing on a page with only no-run blocks', async () => {
    const run = await runPageAsReader(pkg, 'no-blocks.md', fixtures);
    expect(run.blocks).toEqual([]);
  });

  it('fails on a throwing block, naming the page, the block and the line', async () => {
    const e = await failure(runPageAsReader(pkg, 'failing.md', fixtures));
    expect(e).toBeInstanceOf(DocBlockError);
    expect(e.page).toBe('failing.md');
    expect(e.blockLine).toBe(9);
    expect(e.mdLine).toBe(12);
    expect(e.message).toContain('docs/failing.md:12');
    expect(e.message).toContain('boom from the second block');
  });

  it('fails on an unresolvable import, blaming the importing block', async () => {
    const e = await failure(runPageAsReader(pkg, 'bad-import.md', fixtures));
    expect(e.message).toContain('@jute/does-not-exist');
    expect(e.blockLine).toBe(7);
  });

  it('fails on a block that does not parse', async () => {
    const e = await failure(runPageAsReader(pkg, 'syntax-error.md', fixtures));
    expect(e.blockLine).toBe(7);
    expect(e.mdLine).toBe(8);
  });

  it('finds the comments whose value the run did not print', async () => {
    const run = await runPageAsReader(pkg, 'outputs.md', fixtures);
    expect(outputMismatches(run)).toEqual([
      { mdLine: 13, comment: '0.75', printed: ['wrong 0.5'] },
      { mdLine: 23, comment: '5', printed: ['also wrong 4'] },
    ]);
  });
});

describe('the docs pages, run as a reader runs them', () => {
  const pages = findPages();
  it.concurrent.each(pages)(
    '%s: its code runs under plain Node and prints what the page says',
    async (page) => {
      const run = await slot(() => runPageAsReader(pkg, page));
      expect(outputMismatches(run), `docs/${page}: comments that show other values`).toEqual([]);
    },
    300_000,
  );
});
