import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { epoch } from './epoch';
import { fromGenerator } from './from-generator';

describe('fromGenerator', () => {
  it('calls the factory once per pass, lazily, with the pass context', async () => {
    const calls: number[] = [];
    const ds = fromGenerator(function* (ctx) {
      calls.push(ctx.epoch);
      yield ctx.epoch;
    });
    expect(calls).toEqual([]);
    expect(ds.cardinality).toBeUndefined();
    expect(await collect(ds)).toEqual([0]);
    expect(await collect(epoch(ds, 4))).toEqual([4]);
    expect(calls).toEqual([0, 4]);
  });

  it('accepts async iterables', async () => {
    const ds = fromGenerator(async function* () {
      yield 'a';
      await Promise.resolve();
      yield 'b';
    });
    expect(await collect(ds)).toEqual(['a', 'b']);
  });
});
