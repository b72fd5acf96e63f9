import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, num } from '../test/helpers';
import * as nn from './index';

describe('dropout', () => {
  const drop = nn.dropout({ rate: 0.25 });
  const x = jt.ones([100, 100]);
  it('is the identity in inference', () => {
    expect(drop.apply({}, x).y).toBe(x);
    expect(drop.apply({}, x, { training: false, key: jt.random.key(0) }).y).toBe(x);
  });
  it('drops about rate and scales the rest by 1 / (1 - rate)', () => {
    const { y } = drop.apply({}, x, { training: true, key: jt.random.key(0) });
    const kept = num(jt.mean(jt.cast(jt.greater(y, 0), 'float32')));
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.02);
    expectClose(jt.max(y), 1 / 0.75);
    expect(Math.abs(num(jt.mean(y)) - 1)).toBeLessThan(0.03);
  });
  it('is deterministic in the key', () => {
    const a = drop.apply({}, x, { training: true, key: jt.random.key(5) }).y;
    const b = drop.apply({}, x, { training: true, key: jt.random.key(5) }).y;
    expectClose(a, b, 0);
  });
  it('can share the mask along axes', () => {
    const img = jt.ones([2, 4, 4, 8]);
    const { y } = nn
      .dropout({ rate: 0.5, broadcastAxes: [1, 2] })
      .apply({}, img, { training: true, key: jt.random.key(1) });
    expectClose(jt.var(y, { axis: [1, 2] }), jt.zeros([2, 8]));
  });
  it('says so when training without a key', () => {
    expect(() => drop.apply({}, x, { training: true })).toThrow(
      /dropout: training mode needs a PRNG key/,
    );
    expect(() => nn.dropout({ rate: 1 })).toThrow(jt.ValueError);
  });
});
