/**
 * End-to-end check of the built site: serves docs/.vitepress/dist on 127.0.0.1 and opens every
 * page in headless Chromium. A page fails on an uncaught error, a console error, a failed
 * same-origin request, or math left unrendered; afterwards every internal link found on any
 * page must answer 200.
 *
 * Needs `pnpm --filter @jute/docs build` first. Without a build it is skipped (so a plain
 * `pnpm test` works on a fresh clone), unless JUTE_DOCS_E2E=require (the `test:e2e` script).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, sep } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tutorials } from '../.vitepress/tutorials';
import { samePrinted } from './expected-output';
import { codeLineWidth, docsRoot, findPages, hasMath, readPage, runnableBlocks } from './markdown';
import { runPageAsReader } from './reader-run';
import { createScratchPackage, type ScratchPackage } from './scratch-package';

const dist = join(docsRoot, '.vitepress', 'dist');
const built = existsSync(join(dist, 'index.html'));
const required = process.env.JUTE_DOCS_E2E === 'require';
const chromiumPath = process.env.JUTE_CHROMIUM ?? '/usr/bin/chromium';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Every HTML page of the build as a URL path (`/`, `/tutorials/04-losses.html`, ...). */
function builtPages(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.html') && !(dir === dist && e.name === '404.html')) {
        out.push(
          `/${relative(dist, full).split(sep).join('/')}`.replace(/(^|\/)index\.html$/, '$1'),
        );
      }
    }
  };
  walk(dist);
  return out.sort();
}

/** The Markdown source of a built page, if there is one (hand-written or TypeDoc's). */
function sourceOf(urlPath: string): string | undefined {
  const rel = decodeURIComponent(urlPath).replace(/^\//, '');
  const md = rel === '' || rel.endsWith('/') ? `${rel}index.md` : rel.replace(/\.html$/, '.md');
  const file = join(docsRoot, md);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** A static file server for `root`, like a plain web host: `dir/` serves `dir/index.html`. */
function serve(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    if (existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, {
        'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream',
      });
      res.end(readFileSync(file));
    } else {
      const notFound = join(root, '404.html');
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

if (!built) {
  const why = `docs/.vitepress/dist is absent: run \`pnpm --filter @jute/docs build\` first`;
  if (required) {
    it('the built site exists', () => {
      throw new Error(`${why} (JUTE_DOCS_E2E=require).`);
    });
  } else {
    console.warn(`[docs e2e] skipped: ${why}.`);
  }
}

describe.skipIf(!built)('the built docs site in headless Chromium', () => {
  const pages = built ? builtPages() : [];
  const internalLinks = new Map<string, string>(); // link (no hash) -> first page linking it
  let server: Server;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `${chromiumPath} not found: run scripts/install-chromium.sh (or set JUTE_CHROMIUM).`,
      );
    }
    ({ server, origin } = await serve(dist));
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('has the home page, the tutorials and the API reference', () => {
    expect(pages).toContain('/');
    expect(pages).toContain('/tutorials/');
    expect(pages).toContain('/api/');
    for (const t of tutorials) expect(pages).toContain(`/${t.path}.html`);
  });

  // One page at a time: on a 2-core machine parallel tabs only starve each other (and
  // background tabs are throttled), so sequential is both faster and steadier.
  it.each(pages)(
    '%s renders cleanly',
    async (path) => {
      const page = await context.newPage();
      // Generous: a big API page on a busy CI machine can take many seconds to hydrate.
      page.setDefaultTimeout(90_000);
      page.setDefaultNavigationTimeout(90_000);
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('response', (r) => {
        if (r.url().startsWith(origin) && r.status() >= 400)
          problems.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      // The site must be self-contained: no fonts, scripts or images from elsewhere.
      page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) {
          problems.push(`external request: ${u}`);
        }
      });
      page.on('requestfailed', (r) => {
        problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`);
      });
      try {
        const res = await page.goto(origin + path, { waitUntil: 'load' });
        if (res?.status() !== 200) problems.push(`HTTP ${res?.status()} for the page itself`);
        // VitePress hydrates on load; let Vue report hydration mismatches before reading the page.
        // (Poll on a timer: background tabs get no animation frames.)
        await page.waitForFunction(
          () => document.querySelector('#app')?.hasChildNodes() === true,
          null,
          {
            polling: 50,
          },
        );
        await page.waitForTimeout(50);
        const seen = await page.evaluate(() => {
          const skip = 'pre, code, script, style, template, mjx-container, textarea';
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const texts: string[] = [];
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!el || el.closest(skip) || !el.checkVisibility()) continue;
            texts.push(n.textContent ?? '');
          }
          return {
            text: texts.join(' '),
            math: document.querySelectorAll('mjx-container').length,
            hrefs: Array.from(
              document.querySelectorAll('a[href]'),
              (a) => (a as HTMLAnchorElement).href,
            ),
            title: document.title,
          };
        });
        if (seen.title === '') problems.push('empty <title>');
        for (const raw of ['$$', '\\frac', '\\begin{']) {
          if (seen.text.includes(raw))
            problems.push(`unrendered math: visible text contains ${raw}`);
        }
        const md = sourceOf(path);
        if (md !== undefined && hasMath(md) && seen.math === 0) {
          problems.push('the Markdown has math but the page has no mjx-container');
        }
        for (const href of seen.hrefs) {
          const u = new URL(href);
          if (u.origin !== origin) continue;
          const key = u.pathname + u.search;
          if (!internalLinks.has(key)) internalLinks.set(key, path);
        }
        expect(problems, `problems on ${path}`).toEqual([]);
      } finally {
        await page.close();
      }
    },
    180_000,
  );

  it('the Draw a digit page classifies a drawn 1 with the CNN, in the page', async () => {
    expect(pages).toContain('/playground/draw-a-digit.html');
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    try {
      await page.goto(`${origin}/playground/draw-a-digit.html`, { waitUntil: 'load' });
      // The weights are fetched and the model built after hydration.
      await page.waitForSelector('.model-status[data-status="ready"]');
      const box = await page.locator('canvas.board').boundingBox();
      if (!box) throw new Error('the drawing canvas is not visible');
      // A vertical stroke down the middle: a "1".
      const x = box.x + box.width / 2;
      await page.mouse.move(x, box.y + box.height * 0.2);
      await page.mouse.down();
      for (let i = 1; i <= 12; i++) await page.mouse.move(x, box.y + box.height * (0.2 + i * 0.05));
      await page.mouse.up();
      await page.waitForFunction(
        () =>
          /^[0-9]$/.test(document.querySelector('[data-testid="prediction"]')?.textContent ?? ''),
        null,
        { polling: 50 },
      );
      const { digit, probs } = await page.evaluate(() => ({
        digit: document.querySelector('[data-testid="prediction"]')?.textContent,
        probs: Array.from(document.querySelectorAll('.bars [data-p]'), (e) =>
          Number(e.getAttribute('data-p')),
        ),
      }));
      expect(probs).toHaveLength(10);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      // A straight vertical bar is the easiest digit there is; the model is sure of it.
      expect(digit).toBe('1');
      if (process.env.JUTE_DOCS_SCREENSHOT)
        await page.screenshot({ path: process.env.JUTE_DOCS_SCREENSHOT, fullPage: true });
      // Clear resets the prediction.
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="prediction"]')?.textContent === '–',
        null,
        { polling: 50 },
      );
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('every internal link answers 200', async () => {
    expect(internalLinks.size).toBeGreaterThan(pages.length / 2);
    const broken: string[] = [];
    for (const [link, from] of internalLinks) {
      const res = await fetch(origin + link, { redirect: 'manual' });
      if (res.status !== 200) broken.push(`${link} (HTTP ${res.status}, linked from ${from})`);
      await res.arrayBuffer();
    }
    expect(broken).toEqual([]);
  }, 120_000);

  /** The built page of a Markdown page: `tutorials/x.md` → `/tutorials/x.html`. */
  const urlOf = (md: string): string =>
    `/${md.replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, '.html')}`;

  /** Problems a page reports while it runs: uncaught errors and console errors. */
  const watch = (page: Page): string[] => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    return problems;
  };

  describe('Run buttons', () => {
    const runnable = findPages().filter((p) => runnableBlocks(readPage(p)).length > 0);
    let pkg: ScratchPackage | undefined;
    beforeAll(async () => {
      pkg = await createScratchPackage();
    }, 120_000);
    afterAll(() => pkg?.remove());

    it.each(runnable)(
      '%s: every block runs from its Run button and prints what Node prints',
      async (md) => {
        if (!pkg) throw new Error('no scratch project');
        const blocks = runnableBlocks(readPage(md));
        const node = await runPageAsReader(pkg, md);
        const page = await context.newPage();
        page.setDefaultTimeout(180_000);
        const problems = watch(page);
        try {
          await page.goto(origin + urlOf(md), { waitUntil: 'load' });
          await page.waitForFunction(
            (n) => document.querySelectorAll('div.jute-run[data-jute-run-ready]').length === n,
            blocks.length,
            { polling: 50 },
          );
          // Collapsed solutions hold runnable blocks too.
          await page.evaluate(() => {
            for (const d of Array.from(document.querySelectorAll('details'))) d.open = true;
          });
          const shown = await page.$$eval('div.jute-run', (els) =>
            els.map((e) => (e.querySelector('pre code')?.textContent ?? '').replace(/\n$/, '')),
          );
          expect(shown, 'the page shows the blocks the test runs').toEqual(
            blocks.map((b) => b.code),
          );
          for (const [k, block] of blocks.entries()) {
            const el = page.locator('div.jute-run').nth(k);
            await el.locator('.jute-run-go').click();
            await page.waitForFunction(
              (i) => {
                const s = (document.querySelectorAll('div.jute-run')[i] as HTMLElement).dataset
                  .runState;
                return s === 'done' || s === 'failed';
              },
              k,
              { polling: 100 },
            );
            const { state, text, drawn } = await el.evaluate((e) => ({
              state: (e as HTMLElement).dataset.runState,
              text: e.querySelector('.jute-run-output')?.textContent ?? '',
              // The curves of each figure drawn under the block.
              drawn: Array.from(
                e.querySelectorAll('.jute-run-figure svg'),
                (svg) => svg.querySelectorAll('polyline.curve').length,
              ),
            }));
            const where = `docs/${md}:${block.line}`;
            // Every block runs in the page: MNIST is fetched from the site, files are bytes.
            expect(state, `${where}: ${text}`).toBe('done');
            // `plot` prints `figure: title` and a line per curve, and draws one chart for each.
            const printedFigures = text.split('\n').reduce<number[]>((acc, line) => {
              if (line.startsWith('figure: ')) acc.push(0);
              else if (acc.length > 0 && /^ {2}.*: \d+ points, /.test(line)) acc[acc.length - 1]!++;
              return acc;
            }, []);
            expect(drawn, `${where}: the figures drawn`).toEqual(printedFigures);
            if (/\bplot\(/.test(block.code)) expect(drawn.length, where).toBeGreaterThan(0);
            const expected = node.printed
              .filter((p) => p.topLine > block.line && p.topLine < block.endLine)
              .map((p) => p.text)
              .join('\n');
            // Training loops drift apart by a few percent over hundreds of steps (Node's
            // threaded kernels add in another order than the page's single thread); timings
            // are the machine's.
            expect(
              samePrinted(text, expected, { rel: 0.05, ignoreTimings: true }),
              `${where}\npage:\n${text}\nnode:\n${expected}`,
            ).toBe(true);
          }
          expect(problems).toEqual([]);
        } finally {
          await page.close();
        }
      },
      900_000,
    );

    it("an edited block runs as edited, and Reset brings the page's code back", async () => {
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      try {
        const md = runnable.find((p) => p.startsWith('tutorials/')) ?? runnable[0]!;
        await page.goto(origin + urlOf(md), { waitUntil: 'load' });
        const el = page.locator('div.jute-run[data-jute-run-ready]').first();
        await el.locator('.jute-run-edit').click();
        const editor = el.locator('textarea.jute-run-editor');
        await editor.fill(`console.log('edited', 6 * 7);`);
        await el.locator('.jute-run-go').click();
        await page.waitForFunction(
          () => (document.querySelector('div.jute-run') as HTMLElement).dataset.runState === 'done',
        );
        expect(await el.locator('.jute-run-output').textContent()).toBe('edited 42');
        // A failure names the line of the block it came from.
        await editor.fill(`const a = 1;\nthrow new Error('boom ' + a);`);
        await el.locator('.jute-run-go').click();
        await page.waitForFunction(
          () =>
            (document.querySelector('div.jute-run') as HTMLElement).dataset.runState === 'failed',
        );
        const failed = await el.locator('.jute-run-output').textContent();
        expect(failed).toContain('boom 1');
        expect(failed).toContain('at line 2 of block 1');
        await el.locator('.jute-run-reset').click();
        expect(await el.locator('textarea.jute-run-editor').count()).toBe(0);
        expect(await el.locator('pre code').isVisible()).toBe(true);
      } finally {
        await page.close();
      }
    }, 120_000);
  });

  describe('layout', () => {
    const handWritten = findPages().map(urlOf);

    // The widths a reader's desktop has: every code line of the pages fits them
    // (`codeLineWidth`, checked on the Markdown by code-blocks.test.ts).
    it.each([1024, 1280, 1440])(
      'a desktop code block at %i px shows every code line whole',
      async (width) => {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          await page.goto(`${origin}/tutorials/01-arrays-and-broadcasting.html`, {
            waitUntil: 'load',
          });
          const chars = await page.evaluate(() => {
            const pre = document.querySelector(
              '.vp-doc div[class*="language-"] pre',
            ) as HTMLElement;
            const probe = document.createElement('span');
            probe.textContent = 'x'.repeat(100);
            pre.querySelector('code')?.append(probe);
            const perChar = probe.getBoundingClientRect().width / 100;
            probe.remove();
            const style = getComputedStyle(pre);
            const inner =
              pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return Math.floor(inner / perChar);
          });
          expect(chars).toBeGreaterThanOrEqual(codeLineWidth);
          if (width >= 1440) expect(chars).toBeGreaterThanOrEqual(88);
        } finally {
          await page.close();
        }
      },
      120_000,
    );

    it.each(handWritten)(
      '%s on a phone: nothing overflows the screen outside a scrollable box',
      async (path) => {
        const page = await browser.newPage({
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
        });
        try {
          await page.goto(origin + path, { waitUntil: 'load' });
          await page.waitForFunction(
            () => document.querySelector('#app')?.hasChildNodes() === true,
          );
          const seen = await page.evaluate(() => {
            const vw = document.documentElement.clientWidth;
            const scrolls = (el: Element): boolean =>
              /(auto|scroll)/.test(getComputedStyle(el).overflowX);
            const bad: string[] = [];
            for (const el of Array.from(document.querySelectorAll('.VPContent *'))) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.height === 0 || r.right <= vw + 1) continue;
              let p = el.parentElement;
              let inside = false;
              for (; p && p !== document.body; p = p.parentElement) {
                if (scrolls(p) && p.getBoundingClientRect().right <= vw + 1) {
                  inside = true;
                  break;
                }
              }
              if (!inside) {
                bad.push(
                  `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> ends at ${Math.round(r.right)}px`,
                );
              }
            }
            const equations = Array.from(
              document.querySelectorAll('mjx-container[display="true"]'),
            );
            const figures = Array.from(
              document.querySelectorAll('img[src*="/figures/"]'),
            ) as HTMLImageElement[];
            return {
              vw,
              pageWidth: document.documentElement.scrollWidth,
              bad: bad.slice(0, 8),
              wideEquationsWithoutScroll: equations.filter(
                (e) => e.scrollWidth > e.clientWidth + 1 && !scrolls(e),
              ).length,
              shrunkFigures: figures
                .filter((f) => f.complete && f.getBoundingClientRect().width < 560)
                .map((f) => f.getAttribute('src')),
            };
          });
          expect(seen.pageWidth, `${path}: ${seen.bad.join('; ')}`).toBeLessThanOrEqual(seen.vw);
          expect(seen.bad).toEqual([]);
          expect(seen.wideEquationsWithoutScroll).toBe(0);
          expect(seen.shrunkFigures).toEqual([]);
        } finally {
          await page.close();
        }
      },
      120_000,
    );
  });

  it('the playground says "not sure" for a dot and for a scribble', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    try {
      await page.goto(`${origin}/playground/draw-a-digit.html`, { waitUntil: 'load' });
      await page.waitForSelector('.model-status[data-status="ready"]');
      const box = await page.locator('canvas.board').boundingBox();
      if (!box) throw new Error('the drawing canvas is not visible');
      const prediction = () => page.locator('[data-testid="prediction"]').textContent();
      // A dot.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.up();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="prediction"]')?.textContent !== '–',
      );
      expect(await prediction()).toBe('not sure');
      await page.getByRole('button', { name: 'Clear' }).click();
      // A scribble over the whole board.
      await page.mouse.move(box.x + 10, box.y + 10);
      await page.mouse.down();
      for (let i = 0; i < 14; i++) {
        await page.mouse.move(
          box.x + (i % 2 === 0 ? box.width - 10 : 10),
          box.y + 10 + (i * (box.height - 20)) / 13,
        );
      }
      await page.mouse.up();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="prediction"]')?.textContent !== '–',
      );
      expect(await prediction()).toBe('not sure');
    } finally {
      await page.close();
    }
  }, 120_000);
});
