import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figuresDir, makeFigures } from '../scripts/figures';

/**
 * The committed SVGs in public/figures are what `scripts/figures.ts` computes with the
 * current packages: a change to an activation, a loss, an optimizer or a schedule that moves a
 * curve fails here until the figures are regenerated (`pnpm --filter @jute/docs figures`).
 * Coordinates may differ by a fraction of a pixel (backends differ in the last bits of
 * exp or tanh, which can flip a rounded coordinate); everything else must be identical.
 */
const NUMBER = /-?\d+(?:\.\d+)?(?:e-?\d+)?/g;
const TOLERANCE_PX = 0.15;

/** Whether two SVG texts are equal up to numbers within TOLERANCE_PX. */
function sameFigure(a: string, b: string): boolean {
  if (a.replace(NUMBER, '#') !== b.replace(NUMBER, '#')) return false;
  const x = a.match(NUMBER)?.map(Number) ?? [];
  const y = b.match(NUMBER)?.map(Number) ?? [];
  return x.every((v, i) => Math.abs(v - y[i]!) <= TOLERANCE_PX);
}
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
    const same = sameFigure(committed, figures[name]!);
    expect(same, `public/figures/${name} is stale: run \`pnpm --filter @jute/docs figures\``).toBe(
      true,
    );
  });

  it('tell a moved curve from last-bit noise', () => {
    const svg = '<polyline points="10.0,20.0 30.5,40.0"/><text>tanh</text>';
    expect(sameFigure(svg, svg.replace('30.5', '30.6'))).toBe(true);
    expect(sameFigure(svg, svg.replace('30.5', '31.5'))).toBe(false);
    expect(sameFigure(svg, svg.replace('tanh', 'relu'))).toBe(false);
    expect(sameFigure(svg, svg.replace(' 30.5,40.0', ''))).toBe(false);
  });

  it('are embedded by the tutorials', () => {
    const pages = readdirSync(new URL('../tutorials/', import.meta.url))
      .filter((f) => f.endsWith('.md'))
      .map((f) => readFileSync(new URL(`../tutorials/${f}`, import.meta.url), 'utf8'))
      .join('\n');
    for (const name of Object.keys(figures)) expect(pages).toContain(`(/figures/${name})`);
  });
});
