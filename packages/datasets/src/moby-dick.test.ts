import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { loadMobyDick, mobyDickPath } from './moby-dick';

describe('loadMobyDick', () => {
  it('loads the whole novel: over a megabyte of English, from its first line', async () => {
    expect(mobyDickPath()).toMatch(/datasets-moby-dick[\\/]data[\\/]data\.txt$/);
    const r = await loadMobyDick()();
    if (E.isLeft(r)) throw new Error(r.left._tag);
    expect(r.right.length).toBeGreaterThan(1_000_000);
    expect(r.right.startsWith('CHAPTER 1. Loomings.')).toBe(true);
    expect(r.right).toContain('Call me Ishmael.');
    expect(r.right).not.toContain('\r');
  });
});
