import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { loadTextCorpus } from './text-corpus';

describe('loadTextCorpus', () => {
  it('loads a file, normalising CRLF and dropping a BOM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jute-text-'));
    const path = join(dir, 'a.txt');
    await writeFile(path, '\uFEFFab\r\ncd\re');
    expect(await loadTextCorpus(path)()).toEqual(E.right('ab\ncd\ne'));
  });

  it('reports missing files and invalid UTF-8', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jute-text-'));
    expect(await loadTextCorpus(join(dir, 'x'))()).toEqual(
      E.left({ _tag: 'FileNotFound', path: join(dir, 'x') }),
    );
    await writeFile(join(dir, 'bin'), Uint8Array.of(0x61, 0xff, 0xfe));
    const r = await loadTextCorpus(join(dir, 'bin'))();
    expect(E.isLeft(r) && r.left._tag).toBe('ParseError');
  });
});
