import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { betaSample, mixup } from './mixup';

describe('mixup', () => {
  const x = jt.random.uniform(jt.random.key(0), [8, 4, 4, 1]);
  const y = jt.array([0, 1, 2, 3, 0, 1, 2, 3], { dtype: 'int32' });

  it('mixes each label with one partner’s: rows sum to 1, weights λ and 1 − λ', () => {
    const out = mixup(jt.random.key(1), x, y, { alpha: 0.4, numClasses: 4 });
    expect(out.y.shape).toEqual([8, 4]);
    const rows = out.y.toArray() as number[][];
    for (const r of rows) {
      expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(r.filter((v) => v > 1e-7).length).toBeLessThanOrEqual(2);
    }
  });

  it('mixes images with the same weights as their labels', () => {
    // Constant images whose value is the label: the mixed image's value is then
    // λ·y + (1 − λ)·y[π], the mixed label's expectation over classes.
    const flat = jt.reshape(jt.cast(y, 'float32'), [8, 1, 1, 1]);
    const imgs = jt.broadcastTo(flat, [8, 2, 2, 1]);
    const out = mixup(jt.random.key(2), imgs, y, { alpha: 1, numClasses: 4 });
    const expectation = jt.sum(jt.mul(out.y, jt.arange(4, undefined, 1, { dtype: 'float32' })), {
      axis: 1,
    });
    const pixel = jt.reshape(jt.slice(out.x, [0, 0, 0, 0], [8, 1, 1, 1]), [8]);
    Array.from(pixel.data()).forEach((v, i) => {
      expect(v).toBeCloseTo(expectation.data()[i]!, 5);
    });
  });

  it('same key, same mix; another key, another mix', () => {
    const o = { alpha: 0.4, numClasses: 4 };
    const a = mixup(jt.random.key(3), x, y, o);
    const b = mixup(jt.random.key(3), x, y, o);
    const c = mixup(jt.random.key(4), x, y, o);
    expect(Array.from(a.x.data())).toEqual(Array.from(b.x.data()));
    expect(Array.from(a.x.data())).not.toEqual(Array.from(c.x.data()));
  });

  it('takes soft labels as they are', () => {
    const soft = jt.full([8, 4], 0.25);
    const out = mixup(jt.random.key(5), x, soft, { alpha: 0.4 });
    for (const v of out.y.data()) expect(v).toBeCloseTo(0.25, 6);
  });

  it('Beta(α, α) weights have mean 1/2 and variance 1/(4(2α + 1))', () => {
    for (const alpha of [0.2, 1, 4]) {
      const s = betaSample(jt.random.key(6), alpha, 20000);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      const variance = s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length;
      expect(mean).toBeCloseTo(0.5, 1);
      expect(variance).toBeCloseTo(1 / (4 * (2 * alpha + 1)), 2);
    }
  });

  it('rejects integer labels without numClasses and a bad alpha', () => {
    expect(() => mixup(jt.random.key(0), x, y, { alpha: 0.2 })).toThrow(jt.ValueError);
    expect(() => mixup(jt.random.key(0), x, y, { alpha: 0, numClasses: 4 })).toThrow(jt.ValueError);
  });
});
