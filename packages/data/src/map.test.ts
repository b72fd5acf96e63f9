import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { collect } from './dataset';
import { fromGenerator } from './from-generator';
import { map } from './map';

describe('map', () => {
  it('applies sync and async functions lazily, once per element per pass', async () => {
    let calls = 0;
    const ds = pipe(
      fromGenerator(() => [1, 2, 3], { cardinality: 3 }),
      map((x: number) => {
        calls++;
        return x * 10;
      }),
      map(async (x: number) => `${x}`),
    );
    expect(calls).toBe(0);
    expect(ds.cardinality).toBe(3);
    expect(await collect(ds)).toEqual(['10', '20', '30']);
    expect(calls).toBe(3);
    expect(await collect(ds)).toEqual(['10', '20', '30']);
    expect(calls).toBe(6);
  });

  it('propagates errors thrown by the function at that element', async () => {
    const ds = pipe(
      fromGenerator(() => [1, 2]),
      map((x: number) => {
        if (x === 2) throw new Error('boom');
        return x;
      }),
    );
    await expect(collect(ds)).rejects.toThrow('boom');
  });
});
