import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { batch } from './batch';
import { epoch } from './epoch';
import { fromArrays } from './from-arrays';
import { shuffle } from './shuffle';

describe('epoch', () => {
  it('drives a training loop: a new order each epoch, every example once', async () => {
    const y = jt.arange(0, 12, 1, { dtype: 'int32' });
    const train = pipe(fromArrays({ y }), shuffle(jt.random.key(0)), batch(4));
    const orders: number[][] = [];
    for (let e = 0; e < 3; e++) {
      const order: number[] = [];
      for await (const b of epoch(train, e)) order.push(...b.y.data());
      orders.push(order);
      expect([...order].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    }
    expect(new Set(orders.map((o) => o.join())).size).toBe(3);
    expect(() => epoch(train, -1)).toThrow(jt.ValueError);
  });
});
