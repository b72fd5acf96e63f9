/**
 * The WebGPU benchmark page's runner (`benchmarks/webgpu-bench.ts`) works: bundled with
 * esbuild and run in headless Chromium on its WebGPU adapter (SwiftShader on a machine
 * without a GPU), every library runs every workload at toy sizes. Only that is checked:
 * software-adapter timings mean nothing, so none is printed or compared.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BenchRow } from '../benchmarks/webgpu-bench';
import { docsRoot } from './markdown';

const chromiumPath = process.env.JUTE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) console.warn(`webgpu benchmark check skipped: no Chromium at ${chromiumPath}`);

describe.skipIf(!haveChromium)('WebGPU benchmark page runner', () => {
  it('runs Jute, TF.js and jax-js on every workload', async () => {
    const work = mkdtempSync(join(tmpdir(), 'jute-webgpu-bench-'));
    const server = createServer();
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--enable-unsafe-webgpu'],
    });
    try {
      writeFileSync(
        join(work, 'entry.ts'),
        `import { runWebGpuBench } from ${JSON.stringify(join(docsRoot, 'benchmarks', 'webgpu-bench.ts'))};
(globalThis as any).runBench = () => runWebGpuBench({ sizes: [64], batch: 2, repeats: 1 });`,
      );
      await build({
        entryPoints: [join(work, 'entry.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        conditions: ['@jute/source'],
        nodePaths: [join(docsRoot, 'node_modules')],
        outfile: join(work, 'bench.js'),
        logLevel: 'error',
      });
      const js = readFileSync(join(work, 'bench.js'), 'utf8');
      server.on('request', (req, res) => {
        if (req.url === '/bench.js')
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
        else if (req.url === '/') {
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(
              '<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>',
            );
        } else res.writeHead(204).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => 'runBench' in globalThis);
      const rows = (await page.evaluate(() =>
        (globalThis as unknown as { runBench: () => Promise<unknown> }).runBench(),
      )) as BenchRow[];
      expect(rows.map((r) => r.name)).toEqual(['matmul 64×64', 'CNN training step (batch 2)']);
      for (const row of rows) {
        expect({ name: row.name, errors: row.errors }).toEqual({ name: row.name, errors: {} });
        for (const lib of ['jute', 'tfjs', 'jaxjs'] as const)
          expect(row.ms[lib]).toBeGreaterThan(0);
      }
    } finally {
      await browser.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
