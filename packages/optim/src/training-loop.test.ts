import { valueAndGrad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { expect, it } from 'vitest';
import * as optim from './index';

it('the README training loop runs and lowers the loss', () => {
  let params = { w: jt.ones([3, 2]), b: jt.zeros([2]) };
  const lossFn = (p: typeof params, x: jt.Array) =>
    jt.mean(jt.square(jt.add(jt.matmul(x, p.w), p.b)));
  const opt = optim.chain(
    optim.clipByGlobalNorm(1),
    optim.adamw({
      learningRate: optim.warmupCosineDecaySchedule({
        initValue: 0,
        peakValue: 1e-2,
        warmupSteps: 2,
        decaySteps: 20,
      }),
      weightDecay: 1e-2,
      mask: (p) => jt.tree.map((x: jt.Array) => x.ndim > 1, p),
    }),
  );
  let state = opt.init(params);
  const batch = jt.ones([4, 3]);
  let first = 0;
  let last = 0;
  for (let i = 0; i < 10; i++) {
    const [loss, grads] = valueAndGrad(lossFn)(params, batch);
    if (i === 0) first = loss.item() as number;
    last = loss.item() as number;
    const [updates, next] = opt.update(grads, state, params);
    params = optim.applyUpdates(params, updates);
    state = next;
  }
  expect(last).toBeLessThan(first);
});
