import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { epoch } from './epoch';
import { fromArrays } from './from-arrays';
import { fromGenerator } from './from-generator';
import { shuffle } from './shuffle';
import { split } from './split';

const values = async (ds: AsyncIterable<jt.Array>) => {
  const out: number[] = [];
  for await (const a of ds) out.push(a.item() as number);
  return out;
};
const ids = fromArrays(jt.arange(0, 20, 1, { dtype: 'int32' }));

describe('split', () => {
  it('holds out the last examples without a key', async () => {
    const { train, validation } = split(ids, { validationSize: 5 });
    expect(train.cardinality).toBe(15);
    expect(await values(validation)).toEqual([15, 16, 17, 18, 19]);
  });

  it('with a key: disjoint, complete, fixed across epochs of a shuffled source', async () => {
    const key = jt.random.key(9);
    const source = pipe(ids, shuffle(jt.random.key(1)));
    const { train, validation } = split(source, { validationFraction: 0.25, key });
    const t = await values(train);
    const v = await values(validation);
    expect(v).toHaveLength(5);
    expect([...t, ...v].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(await values(epoch(validation, 7))).toEqual(v);
    const shuffledTrain = pipe(train, shuffle(jt.random.key(2)));
    const e3 = await values(epoch(shuffledTrain, 3));
    expect([...e3].sort((a, b) => a - b)).toEqual([...t].sort((a, b) => a - b));
  });

  it('splits streams of known cardinality and validates its options', async () => {
    const stream = fromGenerator(() => [1, 2, 3, 4], { cardinality: 4 });
    const { train, validation } = split(stream, { validationFraction: 0.5 });
    expect(await collect(train)).toEqual([1, 2]);
    expect(await collect(validation)).toEqual([3, 4]);
    expect(() =>
      split(
        fromGenerator(() => [1]),
        { validationSize: 1 },
      ),
    ).toThrow(jt.ValueError);
    expect(() => split(stream, { validationSize: 1, key: jt.random.key(0) })).toThrow(
      /random-access/,
    );
    expect(() => split(ids, {})).toThrow(/exactly one/);
    expect(() => split(ids, { validationFraction: 1.5 })).toThrow(jt.ValueError);
    expect(() => split(ids, { validationSize: 21 })).toThrow(jt.ValueError);
  });
});
