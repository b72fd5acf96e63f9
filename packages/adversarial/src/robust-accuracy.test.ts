import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { fgsm } from './fgsm';
import { type Linear, labels, linear } from './internal/test-models';
import { pgd } from './pgd';
import { robustAccuracy } from './robust-accuracy';

describe('robustAccuracy', () => {
  // One feature; z = (0, x − 0.5): class 1 exactly when x > 0.5. An L∞ attack of radius
  // ε flips the examples within ε of the boundary and no others.
  const params: Linear = { w: jt.array([[0, 1]]), b: jt.array([0, -0.5]) };
  const batches = [
    { x: jt.array([[0.1], [0.45]]), y: labels([0, 0]) },
    { x: jt.array([[0.7], [0.9]]), y: labels([1, 1]) },
  ];

  it('counts what the attack flips, batch by batch', async () => {
    const small = await robustAccuracy(linear, params, batches, fgsm(linear, { eps: 0.1 }));
    expect(small).toEqual({ clean: 1, adversarial: 0.75, count: 4 });
    const large = await robustAccuracy(linear, params, batches, fgsm(linear, { eps: 0.25 }));
    expect(large).toEqual({ clean: 1, adversarial: 0.5, count: 4 });
  });

  it('takes async iterables and passes a key per batch to random-start attacks', async () => {
    async function* stream() {
      yield* batches;
    }
    const attack = pgd(linear, { eps: 0.25, steps: 10, stepSize: 0.05 });
    const r = await robustAccuracy(linear, params, stream(), attack, { key: jt.random.key(0) });
    expect(r).toEqual({ clean: 1, adversarial: 0.5, count: 4 });
  });

  it('rejects an empty set', async () => {
    await expect(robustAccuracy(linear, params, [], fgsm(linear, { eps: 0.1 }))).rejects.toThrow(
      jt.ValueError,
    );
  });
});
