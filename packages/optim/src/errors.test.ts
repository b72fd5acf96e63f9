import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as optim from './index';

const params = { layer: { w: jt.zeros([2, 3]), b: jt.zeros([3]) } };
const grads = { layer: { w: jt.ones([2, 3]), b: jt.ones([3]) } };

describe('bad input', () => {
  it('grads that do not match the state name the path (ValueError)', () => {
    const opt = optim.adam({ learningRate: 0.1 });
    const state = opt.init(params);
    expect(() => opt.update({ layer: { w: jt.ones([2, 3]) } }, state)).toThrow(jt.ValueError);
    expect(() => opt.update({ layer: { w: jt.ones([2, 3]) } }, state)).toThrow(/'layer\.b'/);
  });

  it('mismatched leaf shapes name the path (ShapeError)', () => {
    const opt = optim.sgd({ learningRate: 0.1, momentum: 0.9 });
    const state = opt.init(params);
    const bad = { layer: { w: jt.ones([3, 2]), b: jt.ones([3]) } };
    expect(() => opt.update(bad, state)).toThrow(jt.ShapeError);
    expect(() => opt.update(bad, state)).toThrow(/'layer\.w' has shape \[3,2\].*\[2,3\]/);
  });

  it('applyUpdates checks params against updates', () => {
    expect(() => optim.applyUpdates(params, { layer: { w: jt.ones([2, 3]) } } as never)).toThrow(
      /'layer\.b'/,
    );
    expect(() =>
      optim.applyUpdates(params, { layer: { w: jt.ones([2, 3]), b: jt.ones([4]) } }),
    ).toThrow(jt.ShapeError);
  });

  it('params that do not match grads name the path', () => {
    const opt = optim.adamw({ learningRate: 0.1 });
    const state = opt.init(params);
    expect(() =>
      opt.update(grads, state, { layer: { w: jt.zeros([2, 3]), b: jt.zeros([2]) } }),
    ).toThrow(/'layer\.b'/);
  });

  it('update before init gives a clear error', () => {
    const opt = optim.adam({ learningRate: 0.1 });
    expect(() => opt.update(grads, undefined as never)).toThrow(/call init\(params\)/);
    const t = optim.scaleByAdam();
    expect(() => t.update(grads, undefined as never)).toThrow(/call init\(params\)/);
  });

  it('a state from another transformation gives a clear error', () => {
    const sgdState = optim.sgd({ learningRate: 0.1, momentum: 0.9 }).init(params);
    const adam = optim.adam({ learningRate: 0.1 });
    expect(() => adam.update(grads, sgdState)).toThrow(/another transformation/);
    expect(() => adam.update(grads, [(sgdState as unknown[])[0]] as never)).toThrow(
      /another transformation/,
    );
    const rms = optim.scaleByRms();
    expect(() => rms.update(grads, optim.scaleByAdam().init(params) as never)).toThrow(
      /expected a state \{nu\}, got \{count, mu, nu\}/,
    );
  });

  it('invalid hyperparameters throw ValueError', () => {
    expect(() => optim.adam({ learningRate: -1 })).toThrow(jt.ValueError);
    expect(() => optim.adam({ learningRate: 0.1, b1: 1 })).toThrow(/b1 must be in \[0, 1\)/);
    expect(() => optim.adam({ learningRate: 0.1, b1: -0.1 })).toThrow(jt.ValueError);
    expect(() => optim.adam({ learningRate: 0.1, b2: 1.5 })).toThrow(jt.ValueError);
    expect(() => optim.adam({ learningRate: Number.NaN })).toThrow(jt.ValueError);
    expect(() => optim.sgd({ learningRate: 0.1, momentum: -0.5 })).toThrow(jt.ValueError);
    expect(() => optim.adamw({ learningRate: 0.1, weightDecay: -1 })).toThrow(jt.ValueError);
    expect(() => optim.clipByGlobalNorm(-1)).toThrow(jt.ValueError);
    expect(() => optim.sgd({} as never)).toThrow(/learningRate is required/);
  });

  it('transformations that need params say so', () => {
    const opt = optim.adamw({ learningRate: 0.1 });
    expect(() => opt.update(grads, opt.init(params))).toThrow(/params are required/);
  });

  it('masks and labels that do not fit the parameters name the path', () => {
    const m = optim.masked(optim.scale(2), { layer: { w: true } });
    expect(() => m.init(params)).toThrow(/missing 'layer\.b'/);
    const mt = optim.multiTransform({ a: optim.scale(1) }, { layer: { w: 'a', b: 'oops' } });
    expect(() => mt.init(params)).toThrow(/'layer\.b' has label 'oops'/);
  });
});
