import { grad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { attackCrossEntropy } from './input-gradient';

describe('attackCrossEntropy', () => {
  const y = jt.array([0, 2, 1], { dtype: 'int32' });

  it('equals the cross-entropy, and so does its gradient on ordinary logits', () => {
    const z = jt.array([
      [1, -0.5, 2],
      [0.3, 0.1, -1],
      [-2, 4, 0.5],
    ]);
    const want = Array.from(losses.sparseSoftmaxCrossEntropy(z, y).data());
    Array.from(attackCrossEntropy(z, y).data()).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
    const g1 = grad((l: jt.Array) => jt.sum(attackCrossEntropy(l, y)))(z).data();
    const g2 = grad((l: jt.Array) => jt.sum(losses.sparseSoftmaxCrossEntropy(l, y)))(z).data();
    Array.from(g1).forEach((v, i) => {
      expect(v).toBeCloseTo(g2[i]!, 5);
    });
  });

  it('keeps the true logit’s gradient −Σ_{k≠y} p_k when p_y rounds to 1', () => {
    // Gaps of 40 and 50: p_k = e^-40 and e^-50 for the two other classes.
    const z = jt.array([[50, 10, 0]]);
    const g = grad((l: jt.Array) =>
      jt.sum(attackCrossEntropy(l, jt.array([0], { dtype: 'int32' }))),
    )(z);
    const [gy, g1, g2] = Array.from(g.data(), Number);
    expect(g1! / Math.exp(-40)).toBeCloseTo(1, 4);
    expect(g2! / Math.exp(-50)).toBeCloseTo(1, 4);
    expect(gy! / -(Math.exp(-40) + Math.exp(-50))).toBeCloseTo(1, 4);
  });
});
