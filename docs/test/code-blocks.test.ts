import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tutorials } from '../.vitepress/tutorials';
import {
  codeLineWidth,
  docsRoot,
  extractCodeBlocks,
  findPages,
  hasMath,
  readPage,
  runnableBlocks,
} from './markdown';

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

describe('the docs pages', () => {
  const pages = findPages();

  it('include every tutorial of the sidebar, and nothing from test/ or api/', () => {
    for (const t of tutorials) expect(pages).toContain(`${t.path}.md`);
    expect(pages.filter((p) => p.startsWith('test/') || p.startsWith('api/'))).toEqual([]);
  });

  it(`show no code line wider than the desktop code column (${codeLineWidth} characters)`, () => {
    const wide = pages.flatMap((page) =>
      extractCodeBlocks(readPage(page)).flatMap((b) =>
        b.code
          .split('\n')
          .map((line, k) => ({ line, at: `docs/${page}:${b.line + 1 + k}` }))
          .filter(({ line }) => [...line].length > codeLineWidth)
          .map(({ line, at }) => `${at} (${[...line].length}): ${line}`),
      ),
    );
    expect(wide).toEqual([]);
  });

  // Getting started is about installing and running; every other tutorial writes maths.
  const noMath = new Set(['tutorials/getting-started']);
  it.each(tutorials.map((t) => t.path))('%s has a title, and math', (path) => {
    const md = readPage(`${path}.md`);
    expect(md).toMatch(/^# /m);
    if (!noMath.has(path)) expect(hasMath(md)).toBe(true);
  });
});
