import { vmap } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as optim from './index';

/** Runs `steps` updates of `opt` eagerly for each row of `grads` ([batch, steps, n]). */
function eager(opt: optim.GradientTransformation, grads: number[][][]): number[][] {
  return grads.map((gs) => {
    const params = jt.ones([gs[0]!.length]);
    let state = opt.init(params);
    let u = jt.zeros([gs[0]!.length]);
    for (const g of gs) [u, state] = opt.update(jt.array(g), state, params);
    return [...u.data()];
  });
}

/** The same, with the batch mapped by `vmap` so that step counters are traced. */
function mapped(opt: optim.GradientTransformation, grads: number[][][]): number[][] {
  const batch = grads.length;
  const n = grads[0]![0]!.length;
  const stackB = (x: jt.Array) => jt.stack(Array.from({ length: batch }, () => x));
  const params = stackB(jt.ones([n]));
  let state = jt.tree.map(stackB, opt.init(jt.ones([n])) as unknown) as optim.OptState;
  let u = jt.zeros([batch, n]);
  const step = vmap((g: jt.Array, s: optim.OptState, p: jt.Array) => opt.update(g, s, p)) as (
    g: jt.Array,
    s: optim.OptState,
    p: jt.Array,
  ) => [jt.Array, optim.OptState];
  for (let t = 0; t < grads[0]!.length; t++) {
    [u, state] = step(jt.array(grads.map((gs) => gs[t]!)), state, params);
  }
  return u.toArray() as number[][];
}

const clean = [
  [
    [1, 2],
    [3, -1],
    [0.5, 0.5],
    [2, 2],
  ],
  [
    [-1, 4],
    [0, 1],
    [1, 1],
    [10, -10],
  ],
];
const withNaN = [clean[0]!, [clean[1]![0]!, [Number.NaN, 1], clean[1]![2]!, clean[1]![3]!]];

describe('with traced state (vmap over a batch of optimizer states)', () => {
  const cases: [string, optim.GradientTransformation][] = [
    ['adam', optim.adam({ learningRate: 0.1 })],
    [
      'nadam + clipByGlobalNorm',
      optim.chain(optim.clipByGlobalNorm(1), optim.nadam({ learningRate: 0.1 })),
    ],
    [
      'sgd with a schedule',
      optim.sgd({ learningRate: optim.cosineDecaySchedule({ initValue: 1, decaySteps: 4 }) }),
    ],
    ['multiSteps', optim.multiSteps(optim.adam({ learningRate: 0.1 }), { everyK: 2 })],
    ['applyIfFinite', optim.applyIfFinite(optim.adamax({ learningRate: 0.1 }))],
    ['lamb', optim.lamb({ learningRate: 0.1, weightDecay: 0.1 })],
    ['adamw with a mask', optim.adamw({ learningRate: 0.1, mask: () => true })],
  ];
  it.each(cases)('%s gives the same updates as eager runs', (name, opt) => {
    const data = name === 'applyIfFinite' ? withNaN : clean;
    const want = eager(opt, data);
    const got = mapped(opt, data);
    got.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(v).toBeCloseTo(want[i]![j]!, 5);
      });
    });
  });
});
