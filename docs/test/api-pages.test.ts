import { describe, expect, it } from 'vitest';
import {
  headingAnchors,
  indexWithDescriptions,
  movedAnchors,
  rewriteLinks,
  slugify,
  splitPackagePage,
} from '../typedoc/split-pages';

const groups = {
  order: ['Creation', 'Elementwise', 'Arrays, errors and types'],
  packages: { '@jute/t': {} },
  types: 'Arrays, errors and types',
};

// A miniature of TypeDoc's Markdown for a package page: topics as ##, symbols as ###.
const page = [
  '[API reference](../../index.md) / @jute/t',
  '',
  '# @jute/t',
  '',
  'Arrays.',
  '',
  '## Creation',
  '',
  '### zeros()',
  '',
  'Returns [`Array`](#abstract-array), see [`exp`](#exp).',
  '',
  '#### Parameters',
  '',
  '## Elementwise',
  '',
  '### exp',
  '',
  '```ts',
  '## not a heading',
  '```',
  '',
  '#### Parameters',
  '',
  '## Arrays, errors and types',
  '',
  '### `abstract` Array',
  '',
  '#### Parameters',
  '',
  '## Other',
  '',
  '### var',
  '',
  'Renames [exp](#exp)',
].join('\n');

describe('slugify and headingAnchors', () => {
  it('match VitePress: punctuation to dashes, repeats numbered', () => {
    expect(slugify('add()')).toBe('add');
    expect(slugify('abstract Array')).toBe('abstract-array');
    expect(slugify('dtype?')).toBe('dtype');
    expect([...headingAnchors(['# P', '## Parameters', '## Parameters', '## x']).values()]).toEqual(
      ['p', 'parameters', 'parameters-1', 'x'],
    );
  });
});

describe('splitPackagePage', () => {
  const file = '/api/@jute/t/index.md';
  const pages = splitPackagePage(file, page, groups, ['random']);
  const byFile = new Map(pages.map((p) => [p.file, p]));

  it('makes an index with one line per topic and a page per topic', () => {
    expect([...byFile.keys()]).toEqual([
      file,
      '/api/@jute/t/creation.md',
      '/api/@jute/t/elementwise.md',
      '/api/@jute/t/arrays-errors-and-types.md',
    ]);
    const index = byFile.get(file)!.lines.join('\n');
    expect(index).toContain('- [Creation](creation.md): `zeros`');
    expect(index).toContain('- [`random`](namespaces/random.md)');
    expect(index).toContain('## Other');
    expect(index).not.toContain('### zeros()');
  });

  it('raises headings on topic pages so each function is an h2, code untouched', () => {
    const elementwise = byFile.get('/api/@jute/t/elementwise.md')!.lines;
    expect(elementwise).toContain('# @jute/t: Elementwise');
    expect(elementwise).toContain('## exp');
    expect(elementwise).toContain('### Parameters');
    expect(elementwise).toContain('## not a heading');
    expect(elementwise[0]).toBe(
      '[API reference](../../index.md) / [@jute/t](index.md) / Elementwise',
    );
  });

  it('points links at the page an anchor moved to', () => {
    const moved = movedAnchors(file, page, pages);
    expect(moved.get(`${file}#exp`)).toBe('/api/@jute/t/elementwise.md#exp');
    expect(moved.get(`${file}#abstract-array`)).toBe(
      '/api/@jute/t/arrays-errors-and-types.md#abstract-array',
    );
    const creation = rewriteLinks(byFile.get('/api/@jute/t/creation.md')!, moved).join('\n');
    expect(creation).toContain('[`Array`](arrays-errors-and-types.md#abstract-array)');
    expect(creation).toContain('[`exp`](elementwise.md#exp)');
    const index = rewriteLinks(byFile.get(file)!, moved).join('\n');
    expect(index).toContain('Renames [exp](elementwise.md#exp)');
    // A page elsewhere linking into the old page follows too.
    const other = {
      file: '/api/@jute/u.md',
      from: '/api/@jute/u.md',
      lines: ['[e](t/index.md#exp)'],
    };
    expect(rewriteLinks(other, moved)).toEqual(['[e](t/elementwise.md#exp)']);
  });
});

describe('indexWithDescriptions', () => {
  it('gives each package line its description', () => {
    const md = '## Packages\n\n- [@jute/t](@jute/t/index.md)\n- [@jute/u](@jute/u.md)\n';
    expect(indexWithDescriptions(md, (p) => (p === '@jute/t' ? 'Arrays.' : undefined))).toBe(
      '## Packages\n\n- [@jute/t](@jute/t/index.md): Arrays.\n- [@jute/u](@jute/u.md)\n',
    );
  });
});
