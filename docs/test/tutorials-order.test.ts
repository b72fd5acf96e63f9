import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOrder, readTutorials, titleOf } from '../.vitepress/tutorials';

describe('parseOrder', () => {
  const exists = (p: string) => ['01-arrays', 'getting-started', 'jit'].includes(p);
  it('reads file names, links and slugs, first mention first, unknown names skipped', () => {
    const text = [
      '# Order',
      '',
      '1. getting-started.md',
      '- [Arrays](./01-arrays) — the basics',
      'not-written-yet.md',
      'tutorials/jit.md',
      'getting-started',
    ].join('\n');
    expect(parseOrder(text, exists)).toEqual(['getting-started', '01-arrays', 'jit']);
  });
});

describe('titleOf', () => {
  it('takes the first heading without its number, or the frontmatter title', () => {
    expect(titleOf('# 3. Activation functions\n\ntext', 'x')).toBe('Activation functions');
    expect(titleOf('---\ntitle: "Jit"\n---\n# Other', 'x')).toBe('Jit');
    expect(titleOf('no heading', 'fallback')).toBe('fallback');
  });
});

describe('readTutorials', () => {
  it('puts the listed pages first, then the others by name, numbered in that order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jute-order-'));
    try {
      for (const [f, t] of [
        ['b.md', '# Bee'],
        ['a.md', '# 1. Ay'],
        ['c.md', '# See'],
        ['index.md', '# Index'],
      ]) {
        writeFileSync(join(dir, f!), t!);
      }
      writeFileSync(join(dir, 'ORDER.md'), 'c.md\nb.md\n');
      expect(readTutorials(dir)).toEqual([
        { path: 'tutorials/c', title: '1. See' },
        { path: 'tutorials/b', title: '2. Bee' },
        { path: 'tutorials/a', title: '3. Ay' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
