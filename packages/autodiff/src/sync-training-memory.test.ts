import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

interface Outcome {
  readonly steps?: number;
  readonly step?: number;
  readonly peakMB: number;
  readonly first?: number;
  readonly last?: number;
}

/** Runs the fixture in its own Node process, so its RSS is the loop's alone. */
function runFixture(steps: number, limitMB: number): Promise<{ code: number; out: Outcome }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        '--conditions=@jute/source',
        '--import',
        'tsx',
        join(here, 'sync-training.fixture.ts'),
        String(steps),
        String(limitMB),
      ],
      // The default backend (WebAssembly where SIMD exists) is the one that leaked.
      { cwd: join(here, '..'), env: { ...process.env, JUTE_BACKEND: '' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1) ?? '';
        if (!line.startsWith('{')) {
          reject(new Error(`fixture failed: ${error?.message ?? ''}\n${stderr}`));
          return;
        }
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: JSON.parse(line) as Outcome });
      },
    );
  });
}

describe('a synchronous training loop', () => {
  // Regression: the packed-weight cache of the WebAssembly matmul held each weight through
  // a WeakRef, which keeps its target alive until the synchronous job ends, i.e. for the
  // whole loop: RSS passed 300 MB by step 2,100 (1.9 GB at 2,000 steps of a larger model).
  it('trains a small MLP for 5,000 steps without await in bounded memory', async () => {
    const { code, out } = await runFixture(5000, 300);
    expect(out.step, `RSS passed 300 MB at step ${out.step}`).toBeUndefined();
    expect(code).toBe(0);
    expect(out.steps).toBe(5000);
    expect(out.peakMB).toBeLessThan(300);
    // It did train: the loss fell by orders of magnitude.
    expect(out.last!).toBeLessThan(out.first! / 100);
  }, 150_000);
});
