import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64 } from '../test/helpers';
import * as nn from './index';

describe('rotaryEmbedding', () => {
  it('rotates the pair (i, i + d/2) by position · base^(-2i/d)', () => {
    // Depth 4, base 100: pair (0, 2) turns at 1 rad per position, pair (1, 3) at 0.1.
    const x = f64([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    const y = nn.rotaryEmbedding(x, { base: 100, offset: 1 });
    const row = (p: number) => {
      const [a, b] = [p, 0.1 * p];
      return [
        Math.cos(a) - 3 * Math.sin(a),
        2 * Math.cos(b) - 4 * Math.sin(b),
        Math.sin(a) + 3 * Math.cos(a),
        2 * Math.sin(b) + 4 * Math.cos(b),
      ];
    };
    expectClose(y, [row(1), row(2)], 1e-12);
  });
  it('makes q·k depend only on the distance between positions', () => {
    const [kq, kk] = jt.random.split(jt.random.key(0), 2);
    const q = jt.random.normal(kq!, [1, 8], { dtype: 'float64' });
    const k = jt.random.normal(kk!, [1, 8], { dtype: 'float64' });
    const score = (m: number, n: number) =>
      jt.sum(jt.mul(nn.rotaryEmbedding(q, { offset: m }), nn.rotaryEmbedding(k, { offset: n })));
    expectClose(score(7, 3), score(4, 0), 1e-10);
    expectClose(score(12, 9), score(3, 0), 1e-10);
    expect(Math.abs(Number(score(7, 3).item()) - Number(score(3, 3).item()))).toBeGreaterThan(1e-6);
  });
  it('takes the offset as an int32 array too (a cache length)', () => {
    const x = jt.random.normal(jt.random.key(2), [2, 3, 5, 4], { dtype: 'float64' });
    expectClose(
      nn.rotaryEmbedding(x, { offset: jt.array(6, { dtype: 'int32' }) }),
      nn.rotaryEmbedding(x, { offset: 6 }),
      1e-12,
    );
  });
  it('checks the depth and has correct gradients', () => {
    expect(() => nn.rotaryEmbedding(jt.ones([2, 3]))).toThrow(jt.ShapeError);
    expect(() => nn.rotaryEmbedding(jt.ones([4]))).toThrow(jt.ShapeError);
    const x = jt.random.normal(jt.random.key(3), [3, 4], { dtype: 'float64' });
    expectGradsOk((v: jt.Array) => nn.rotaryEmbedding(v, { offset: 2 }), [x]);
  });
});
