import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import type { TrainState } from './checkpoint';
import { makeTrainStep } from './train';
import { withAccumulation } from './train-extras';

// `--accumulate K`: K micro-batches per update must train exactly like one batch K
// times larger, since the mean of K equal-sized micro-batch means is the batch mean.

const flags = (accumulate: number) => ({
  augment: false,
  adversarial: undefined,
  eps: 0.1,
  attackSteps: 1,
  mixClean: false,
  accumulate,
});

// No dropout, so a step is a function of the batch alone.
const model = nn.sequential(
  nn.flatten(),
  nn.dense({ features: 12 }),
  nn.relu,
  nn.dense({ features: 10 }),
);
const k = 4;
const micro = 6;
const x = jt.random.uniform(jt.random.key(0), [k * micro, 4, 4, 1]);
const y = jt.random.randint(jt.random.key(1), [k * micro], 0, 10);
const init = model.init(jt.random.key(2), [micro, 4, 4, 1]);
// The step works on untyped trees, as the app's checkpoints do.
const params = init.params as unknown as jt.PyTree;
const state = init.state as unknown as jt.PyTree;

function trainWith(opt: optim.GradientTransformation<jt.PyTree>, batches: [jt.Array, jt.Array][]) {
  const step = makeTrainStep(model, opt);
  let s: TrainState = { params, state, optState: opt.init(params) };
  for (const [bx, by] of batches) s = step(s, bx, by, jt.random.key(3)).next;
  return s.params;
}

const leaves = (t: jt.PyTree) =>
  jt.tree.leaves(t).flatMap((l) => Array.from((l as jt.Array).data()));

describe('--accumulate K', () => {
  it.each([
    ['SGD', () => optim.sgd({ learningRate: 0.5 })],
    ['Adam', () => optim.adam({ learningRate: 0.01 })],
  ])('%s: one update over K micro-batches equals one step on their concatenation', (_n, make) => {
    const pieces = [...Array(k).keys()].map(
      (i) =>
        [
          jt.slice(x, [i * micro], [(i + 1) * micro]),
          jt.slice(y, [i * micro], [(i + 1) * micro]),
        ] as [jt.Array, jt.Array],
    );
    const accumulated = leaves(trainWith(withAccumulation(make(), flags(k)), pieces));
    const whole = leaves(trainWith(make(), [[x, y]]));
    const before = leaves(params);
    let moved = 0;
    accumulated.forEach((v, i) => {
      expect(Math.abs(v - whole[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(whole[i]!)));
      moved = Math.max(moved, Math.abs(v - before[i]!));
    });
    expect(moved).toBeGreaterThan(1e-3); // the update did happen
  });

  it('does not move the parameters before the K-th micro-batch', () => {
    const opt = withAccumulation(optim.adam({ learningRate: 0.01 }), flags(k));
    const first = leaves(trainWith(opt, [[jt.slice(x, [0], [micro]), jt.slice(y, [0], [micro])]]));
    expect(first).toEqual(leaves(params));
  });
});
