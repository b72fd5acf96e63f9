import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tutorials } from '../.vitepress/tutorials';
import {
  docsRoot,
  extractCodeBlocks,
  findPages,
  hasMath,
  readPage,
  runnableBlocks,
} from './markdown';
import { DocBlockError, generatedDir, runPage } from './run-blocks';

const fixtures = join(docsRoot, 'test', 'fixtures');

describe('extractCodeBlocks', () => {
  it('finds fences with their language, flags and opening line', () => {
    const md = ['# t', '', '```ts no-run {2}', 'a', '```', 'x', '~~~ts', 'b', '~~~'].join('\n');
    expect(extractCodeBlocks(md)).toEqual([
      { lang: 'ts', flags: ['no-run'], line: 3, endLine: 5, code: 'a' },
      { lang: 'ts', flags: [], line: 7, endLine: 9, code: 'b' },
    ]);
  });

  it('treats a shorter fence inside a longer one as text', () => {
    const md = ['````md', '```ts', 'x', '```', '````'].join('\n');
    expect(extractCodeBlocks(md)).toEqual([
      { lang: 'md', flags: [], line: 1, endLine: 5, code: '```ts\nx\n```' },
    ]);
    expect(runnableBlocks(md)).toEqual([]);
  });

  it('runs ts and typescript blocks only, never no-run ones', () => {
    const md = readPage('passing.md', fixtures);
    expect(runnableBlocks(md).map((b) => b.line)).toEqual([5, 11, 33]);
  });
});

describe('hasMath', () => {
  it('sees inline and display math, not dollars in code', () => {
    expect(hasMath('where $x^2$ grows')).toBe(true);
    expect(hasMath('$$\n\\frac{a}{b}\n$$')).toBe(true);
    expect(hasMath('costs `$5` and ```ts\nconst a = `$${b}$`;\n```')).toBe(false);
    expect(hasMath('plain text')).toBe(false);
  });
});

describe('the code-block harness', () => {
  it('runs every block of a page in order, as one module', async () => {
    await expect(runPage('passing.md', fixtures)).resolves.toBe(3);
    expect((globalThis as Record<string, unknown>).__juteFixtureTotal).toBe(6);
  });

  it('runs nothing on a page with only no-run blocks', async () => {
    await expect(runPage('no-blocks.md', fixtures)).resolves.toBe(0);
  });

  it('fails on a throwing block, naming the page and the block line', async () => {
    const err = await runPage('failing.md', fixtures).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DocBlockError);
    const e = err as DocBlockError;
    expect(e.page).toBe('failing.md');
    expect(e.blockLine).toBe(9);
    expect(e.message).toContain('docs/failing.md');
    expect(e.message).toContain('code block at line 9');
    expect(e.message).toContain('boom from the second block');
    // The stack maps back to the exact Markdown line of the `throw`.
    expect(e.mdLine).toBe(12);
  });

  it('fails on an unresolvable import, blaming the importing block', async () => {
    const err = (await runPage('bad-import.md', fixtures).catch(
      (e: unknown) => e,
    )) as DocBlockError;
    expect(err).toBeInstanceOf(DocBlockError);
    expect(err.message).toContain('docs/bad-import.md');
    expect(err.message).toContain('@jute/does-not-exist');
    expect(err.blockLine).toBe(7);
  });

  it('fails on a block that does not parse', async () => {
    const err = (await runPage('syntax-error.md', fixtures).catch(
      (e: unknown) => e,
    )) as DocBlockError;
    expect(err).toBeInstanceOf(DocBlockError);
    expect(err.message).toContain('docs/syntax-error.md');
    expect(err.blockLine).toBe(7);
  });

  it('leaves no generated modules behind', () => {
    const left = existsSync(generatedDir) ? readdirSync(generatedDir) : [];
    expect(left).toEqual([]);
  });
});

describe('the docs pages', () => {
  const pages = findPages();

  it('include every tutorial of the sidebar, and nothing from test/ or api/', () => {
    for (const t of tutorials) expect(pages).toContain(`${t.path}.md`);
    expect(pages.filter((p) => p.startsWith('test/') || p.startsWith('api/'))).toEqual([]);
  });

  it.each(tutorials.map((t) => t.path))('%s has a title and math', (path) => {
    const md = readPage(`${path}.md`);
    expect(md).toMatch(/^# /m);
    expect(hasMath(md)).toBe(true);
  });

  // The harness proper: every ```ts block of every page runs against the Jute packages.
  it.each(pages)('code blocks of %s run', async (page) => {
    await runPage(page);
  });
});
