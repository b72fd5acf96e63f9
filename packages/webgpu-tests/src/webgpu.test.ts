/**
 * Runs the WebGPU backend for real: bundles `browser/suite.ts` with esbuild, serves it from
 * 127.0.0.1 and runs it in headless Chromium with WebGPU enabled (on a machine without a
 * GPU, Chromium's SwiftShader adapter: Vulkan on the CPU). Every case compares WebGPU with
 * the CPU backend. Skipped, with a message, only when Chromium is missing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import type { SuiteResult } from './browser/suite';
import { suiteChecks } from './suite-checks';

const chromiumPath = process.env.JUTE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) {
  console.warn(
    `webgpu tests skipped: no Chromium at ${chromiumPath} (scripts/install-chromium.sh installs it; JUTE_CHROMIUM points elsewhere)`,
  );
}

const here = dirname(fileURLToPath(import.meta.url));

/** Flags under which headless Chromium exposes WebGPU (checked on Debian's Chromium 156). */
export const WEBGPU_FLAGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--js-flags=--expose-gc'];

describe.skipIf(!haveChromium)('WebGPU backend in headless Chromium', () => {
  let work = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let result: SuiteResult;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'jute-webgpu-'));
    await build({
      entryPoints: [join(here, 'browser', 'suite.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@jute/source'],
      outfile: join(work, 'suite.js'),
      logLevel: 'error',
    });
    const files: Record<string, [string, string]> = {
      '/': [
        'text/html',
        '<!doctype html><meta charset="utf-8"><script type="module" src="/suite.js"></script>',
      ],
      '/suite.js': ['text/javascript', readFileSync(join(work, 'suite.js'), 'utf8')],
      '/favicon.ico': ['image/x-icon', ''],
    };
    server = createServer((req, res) => {
      const f = files[req.url ?? '/'];
      if (f === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    browser = await chromium.launch({ executablePath: chromiumPath, args: WEBGPU_FLAGS });
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'runSuite' in globalThis);
    // JUTE_WEBGPU_ONLY=<text> runs only the cases whose name contains it (for debugging).
    const only = process.env.JUTE_WEBGPU_ONLY;
    result = (await page.evaluate(
      (o) => (globalThis as unknown as { runSuite: (o?: string) => Promise<unknown> }).runSuite(o),
      only,
    )) as SuiteResult;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  suiteChecks(() => ({ result, consoleErrors }));
});
