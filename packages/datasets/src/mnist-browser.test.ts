import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDataError } from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as browser from './browser';
import * as node from './index';
import { loadMnist as loadInNode, mnistDigitsDir } from './mnist';
import { loadMnist } from './mnist-browser';

const here = dirname(fileURLToPath(import.meta.url));

/** A `fetch` that serves the `mnist` package's digit folder at `/mnist/` of any origin. */
function serveDigits(requests: string[] = []): typeof fetch {
  const dir = mnistDigitsDir();
  if (dir === undefined) throw new Error('the mnist package is not installed');
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requests.push(url.href);
    const m = /^\/mnist\/(\d)\.json$/.exec(url.pathname);
    if (!m) return new Response('no', { status: 404 });
    return new Response(await readFile(join(dir, `${m[1]}.json`), 'utf8'));
  }) as typeof fetch;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadMnist in a browser', () => {
  it("fetches the digit files and gives Node's split for the same seed and sizes", async () => {
    const requests: string[] = [];
    vi.stubGlobal('fetch', serveDigits(requests));
    const options = { seed: 3, trainSize: 300, testSize: 100 };
    const page = await loadMnist({ ...options, url: 'http://site.test/mnist' })();
    const disk = await loadInNode(options)();
    if (E.isLeft(page)) throw new Error(formatDataError(page.left));
    if (E.isLeft(disk)) throw new Error(formatDataError(disk.left));
    expect(requests.sort()).toEqual(
      Array.from({ length: 10 }, (_, d) => `http://site.test/mnist/${d}.json`),
    );
    for (const part of ['train', 'test'] as const) {
      expect(page.right[part].images.shape).toEqual(disk.right[part].images.shape);
      expect(page.right[part].images.dtype).toBe('float32');
      expect(page.right[part].labels.dtype).toBe('int32');
      expect(page.right[part].labels.data()).toEqual(disk.right[part].labels.data());
      expect(page.right[part].images.data()).toEqual(disk.right[part].images.data());
    }
    // The digits are fetched once per folder.
    const again = await loadMnist({
      seed: 4,
      trainSize: 10,
      testSize: 10,
      url: 'http://site.test/mnist/',
    })();
    expect(E.isRight(again)).toBe(true);
    expect(requests).toHaveLength(10);
  });

  it('resolves the default /mnist/ against the page (or worker) location', async () => {
    const requests: string[] = [];
    vi.stubGlobal('fetch', serveDigits(requests));
    vi.stubGlobal('location', { href: 'http://page.test/assets/worker-abc.js' });
    const r = await loadMnist({ trainSize: 10, testSize: 10 })();
    expect(E.isRight(r)).toBe(true);
    expect(requests[0]).toMatch(/^http:\/\/page\.test\/mnist\/\d\.json$/);
  });

  it('reports a missing file with its URL, other failures as ReadFailed, bad options as InvalidArgument', async () => {
    vi.stubGlobal('fetch', serveDigits());
    const missing = await loadMnist({ url: 'http://site.test/elsewhere/' })();
    expect(E.isLeft(missing) && missing.left).toEqual({
      _tag: 'FileNotFound',
      path: 'http://site.test/elsewhere/0.json',
    });
    vi.stubGlobal('fetch', async () => new Response('busy', { status: 503 }));
    const busy = await loadMnist({ url: 'http://other.test/mnist/' })();
    expect(E.isLeft(busy) && busy.left._tag).toBe('ReadFailed');
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const offline = await loadMnist({ url: 'http://offline.test/mnist/' })();
    expect(E.isLeft(offline) && formatDataError(offline.left)).toContain('Failed to fetch');
    vi.stubGlobal('fetch', async () => new Response('{"data": [0, 0.5]}'));
    const partial = await loadMnist({ url: 'http://partial.test/mnist/' })();
    expect(E.isLeft(partial) && partial.left._tag).toBe('CountMismatch');
    const sizes = await loadMnist({ url: 'http://site.test/mnist/', trainSize: -1 })();
    expect(E.isLeft(sizes) && sizes.left._tag).toBe('InvalidArgument');
    const dir = await loadMnist({ dir: 'data' } as never)();
    expect(E.isLeft(dir) && dir.left._tag).toBe('InvalidArgument');
    // No location and a relative URL: nothing to resolve it against.
    const relative = await loadMnist({ url: 'mnist/' })();
    expect(E.isLeft(relative) && relative.left._tag).toBe('InvalidArgument');
  });
});

describe('the browser entry', () => {
  it('reaches no Node built-in module', async () => {
    const seen = new Set<string>();
    const specs = new Set<string>();
    const walk = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = await readFile(file, 'utf8');
      for (const [, spec] of source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
        if (spec!.startsWith('.')) await walk(join(dirname(file), `${spec}.ts`));
        else specs.add(spec!);
      }
    };
    await walk(join(here, 'browser.ts'));
    expect([...specs].filter((s) => s.startsWith('node:'))).toEqual([]);
    expect(specs).toContain('@jute/data');
  });

  it('is the Node entry minus what reads files', () => {
    const missing = Object.keys(node).filter((k) => !(k in browser));
    expect(missing.sort()).toEqual(['loadMobyDick', 'mnistDigitsDir', 'mobyDickPath']);
  });
});
