import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figuresDir, makeFigures } from '../scripts/figures';

/**
 * The committed SVGs in public/figures are what `scripts/figures.ts` computes with the
 * current packages: a change to an activation, a loss, an optimizer or a schedule that moves a
 * curve fails here until the figures are regenerated (`pnpm --filter @jute/docs figures`).
 */
describe('docs figures', () => {
  const figures = makeFigures();

  it('are exactly the files in public/figures', () => {
    const committed = readdirSync(figuresDir)
      .filter((f) => f.endsWith('.svg'))
      .sort();
    expect(committed).toEqual(Object.keys(figures).sort());
  });

  it.each(Object.keys(figures))('%s matches a fresh computation', (name) => {
    const committed = readFileSync(`${figuresDir}${name}`, 'utf8');
    // Compare as text, but fail with a short message rather than a multi-kilobyte diff.
    const same = committed === figures[name];
    expect(same, `public/figures/${name} is stale: run \`pnpm --filter @jute/docs figures\``).toBe(
      true,
    );
  });

  it('are embedded by the tutorials', () => {
    const pages = readdirSync(new URL('../tutorials/', import.meta.url))
      .filter((f) => f.endsWith('.md'))
      .map((f) => readFileSync(new URL(`../tutorials/${f}`, import.meta.url), 'utf8'))
      .join('\n');
    for (const name of Object.keys(figures)) expect(pages).toContain(`(/figures/${name})`);
  });
});
