import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyMnistDigits, mnistDigitsDir, serveMnistDigits } from '../.vitepress/mnist-files';

describe("the site's MNIST files", () => {
  it('the build copies the ten digit files of the mnist package into mnist/', () => {
    const out = mkdtempSync(join(tmpdir(), 'jute-docs-mnist-'));
    try {
      copyMnistDigits(out);
      const names = readdirSync(join(out, 'mnist')).sort();
      expect(names).toEqual(Array.from({ length: 10 }, (_, d) => `${d}.json`));
      expect(readFileSync(join(out, 'mnist', '7.json'))).toEqual(
        readFileSync(join(mnistDigitsDir(), '7.json')),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the dev server answers /mnist/N.json and passes everything else on', () => {
    let handler:
      | ((req: IncomingMessage, res: ServerResponse, next: () => void) => void)
      | undefined;
    serveMnistDigits().configureServer({ middlewares: { use: (fn) => (handler = fn) } });
    if (!handler) throw new Error('no middleware');
    const ask = (url: string) => {
      const sent: { body?: Buffer; type?: string; next: boolean } = { next: false };
      const res = {
        setHeader: (_: string, v: string) => {
          sent.type = v;
        },
        end: (b: Buffer) => {
          sent.body = b;
        },
      } as unknown as ServerResponse;
      handler!({ url } as IncomingMessage, res, () => {
        sent.next = true;
      });
      return sent;
    };
    const three = ask('/mnist/3.json?v=1');
    expect(three.next).toBe(false);
    expect(three.type).toContain('application/json');
    expect(three.body?.subarray(0, 8).toString()).toBe('{ "data"');
    expect(ask('/mnist/10.json').next).toBe(true);
    expect(ask('/mnist/../package.json').next).toBe(true);
    expect(ask('/tutorials/').next).toBe(true);
  });
});
