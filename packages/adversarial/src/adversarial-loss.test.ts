import { grad, valueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { adversarialLoss } from './adversarial-loss';
import { labels, type Mlp, mlp, randomMlp } from './internal/test-models';
import { pgd } from './pgd';

const leaves = (t: jt.PyTree): number[] =>
  jt.tree.leaves(t).flatMap((l) => Array.from((l as jt.Array).data()));

describe('adversarialLoss', () => {
  const params = randomMlp(21, 6, 3);
  const x = jt.random.uniform(jt.random.key(22), [6, 6]);
  const y = labels([0, 1, 2, 2, 1, 0]);
  const attack = pgd(mlp, { eps: 0.1, steps: 3, stepSize: 0.05 });
  const key = jt.random.key(23);
  const meanLoss = (p: Mlp, xx: jt.Array) =>
    jt.mean(losses.sparseSoftmaxCrossEntropy(mlp(p, xx), y));

  it.each([0, 0.5])('with cleanWeight %d: value and gradient of the outer min only', (w) => {
    const xAdv = attack(params, x, y, key);
    const reference = (p: Mlp) =>
      jt.add(jt.mul(meanLoss(p, x), w), jt.mul(meanLoss(p, xAdv), 1 - w));
    const [value, g] = valueAndGrad(adversarialLoss(mlp, attack, { cleanWeight: w }))(
      params,
      x,
      y,
      key,
    );
    expect(value.item()).toBeCloseTo(reference(params).item() as number, 5);
    const want = leaves(grad(reference)(params));
    leaves(g).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
  });

  it('is larger than the clean loss (the attack works)', () => {
    const robust = adversarialLoss(mlp, attack)(params, x, y, key).item() as number;
    expect(robust).toBeGreaterThan(meanLoss(params, x).item() as number);
  });

  it('rejects a cleanWeight outside [0, 1]', () => {
    expect(() => adversarialLoss(mlp, attack, { cleanWeight: 1.5 })).toThrow(jt.ValueError);
  });
});
