import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as data from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePrompt, loadCorpus, unigramPerplexity } from './text-corpus';

const dir = await mkdtemp(join(tmpdir(), 'app-kit-text-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('text corpus helpers', () => {
  it('hold out the last fraction of the text', async () => {
    const path = join(dir, 'abc.txt');
    await writeFile(path, 'abcdefghij'.repeat(2));
    const c = await loadCorpus({ path, validationFraction: 0.25, minChars: 4 })();
    if (E.isLeft(c)) throw new Error(c.left.message);
    expect(c.right.vocab.size).toBe(10);
    expect(c.right.vocab.decode(c.right.train)).toBe('abcdefghijabcde');
    expect(c.right.vocab.decode(c.right.validation)).toBe('fghij');
    const short = await loadCorpus({ path, validationFraction: 0.25, minChars: 100 })();
    expect(E.isLeft(short) && short.left.message).toMatch(
      /has 20 characters; it needs at least 100/,
    );
  });
  it('score the unigram baseline as exp(entropy)', () => {
    expect(unigramPerplexity(new Int32Array([0, 0, 1, 1]), 3)).toBeCloseTo(2, 10);
    expect(unigramPerplexity(new Int32Array([2, 2, 2]), 3)).toBeCloseTo(1, 10);
  });
  it('name the characters a prompt has outside the vocabulary', () => {
    const vocab = data.charVocab('abc ');
    expect(encodePrompt(vocab, 'ab')).toEqual(E.right(new Int32Array([1, 2])));
    const bad = encodePrompt(vocab, 'axyx');
    expect(E.isLeft(bad) && bad.left.message).toBe(
      '--prompt has characters outside the vocabulary: "x", "y"',
    );
    expect(E.isLeft(encodePrompt(vocab, ''))).toBe(true);
  });
});
