import * as data from '@jute/data';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { charLstm } from './model';
import { MAX_SAMPLE_LENGTH, sample } from './sample';

describe('sample --length', () => {
  const vocab = data.charVocab('ab');
  const model = charLstm({ vocabSize: vocab.size, embed: 2, hidden: 2 });
  const params = model.init(jt.random.key(0));
  const run = (length: number) =>
    sample(model, params, vocab, { prompt: 'a', length, temperature: 1, key: jt.random.key(1) });

  it('refuses lengths past the bound at once, before drawing any key', () => {
    // 1e8 used to split 1e8 keys up front and abort on the V8 heap limit after a minute.
    const t0 = performance.now();
    for (const length of [1e8, MAX_SAMPLE_LENGTH + 1, -1, 2.5, Number.NaN]) {
      const r = run(length);
      expect(E.isLeft(r) && r.left.message).toBe(
        `--length must be an integer from 0 to ${MAX_SAMPLE_LENGTH}, got ${length}`,
      );
    }
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('still generates what it is asked for within the bound', () => {
    const r = run(5);
    expect(E.isRight(r) && [...r.right]).toHaveLength(5);
    expect(run(0)).toEqual(E.right(''));
  });
});
