import * as jt from '@jute/tensor';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { adam } from './optimizers/adam';
import { applyUpdates } from './transforms/apply-updates';
import { chain } from './transforms/chain';
import { clipByGlobalNorm } from './transforms/clip-by-global-norm';

type Params = { dense: { kernel: jt.Array; bias: jt.Array }; scale: jt.Array };

describe('optimizers keep the parameter type', () => {
  it('update returns updates of the gradients’ type; applyUpdates returns the params’ type', () => {
    const params: Params = {
      dense: { kernel: jt.ones([2, 2]), bias: jt.zeros([2]) },
      scale: jt.array(1),
    };
    const grads: Params = {
      dense: { kernel: jt.ones([2, 2]), bias: jt.ones([2]) },
      scale: jt.array(2),
    };
    const opt = chain(clipByGlobalNorm(10), adam({ learningRate: 0.1 }));
    const [updates, state] = opt.update(grads, opt.init(params), params);
    expectTypeOf(updates).toEqualTypeOf<Params>();
    const next = applyUpdates(params, updates);
    expectTypeOf(next).toEqualTypeOf<Params>();
    // @ts-expect-error the keys stay the parameters' keys
    next.dense.weights;
    // Adam's first step moves every parameter by -learningRate * sign(gradient).
    expect(next.scale.item()).toBeCloseTo(0.9, 5);
    expect(state).toBeDefined();
  });
});
