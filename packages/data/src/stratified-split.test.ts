import { describe, expect, it } from 'vitest';
import { proportionalQuotas, stratifiedSplit } from './stratified-split';

const counts = (labels: ArrayLike<number>): number[] => {
  const c = new Array(10).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i]!]++;
  return c;
};

describe('stratified split helpers', () => {
  it('splits quotas exactly and deterministically, with disjoint parts', () => {
    expect(proportionalQuotas(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(proportionalQuotas(5, [0, 2])).toEqual([0, 5]);
    const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
    const a = stratifiedSplit(labels, 3, { trainSize: 200, testSize: 100, seed: 7 });
    const b = stratifiedSplit(labels, 3, { trainSize: 200, testSize: 100, seed: 7 });
    expect([...a.train]).toEqual([...b.train]);
    expect(new Set([...a.train, ...a.test]).size).toBe(300);
    expect(counts([...a.test].map((i) => labels[i]!))).toEqual([34, 33, 33, 0, 0, 0, 0, 0, 0, 0]);
  });
});
