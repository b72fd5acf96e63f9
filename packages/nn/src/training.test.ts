import { valueAndGrad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { num } from '../test/helpers';
import * as nn from './index';

const sgd = <P>(params: P, grads: P, lr: number): P =>
  jt.tree.map((p: jt.Array, g: jt.Array) => jt.sub(p, jt.mul(g, lr)), params, grads) as P;

describe('training end to end', () => {
  it('a conv → pool → dense network learns horizontal vs vertical bars', () => {
    // 32 noisy 8×8 images: label 0 has a bright row, label 1 a bright column.
    const n = 32;
    const pixels = new Float32Array(n * 64);
    const labels = new Int32Array(n);
    const noise = jt.random.uniform(jt.random.key(7), [n * 64]).data();
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      const line = (i * 3) % 8;
      for (let r = 0; r < 8; r++) {
        for (let c = 0; c < 8; c++) {
          const on = labels[i] === 0 ? r === line : c === line;
          pixels[i * 64 + r * 8 + c] = (on ? 1 : 0) + 0.2 * noise[i * 64 + r * 8 + c]!;
        }
      }
    }
    const x = jt.array(pixels, { shape: [n, 8, 8, 1] });
    const y = jt.oneHot(jt.array(labels), 2);
    const model = nn.sequential(
      nn.conv2d({ features: 4, kernelSize: [3, 3] }),
      nn.relu,
      nn.maxPool2d({ window: [2, 2] }),
      nn.flatten(),
      nn.dense({ features: 2 }),
    );
    let { params } = model.init(jt.random.key(0), [n, 8, 8, 1]);
    const loss = (p: typeof params) =>
      jt.neg(jt.mean(jt.sum(jt.mul(nn.logSoftmax(model.apply(p, x).y), y), { axis: -1 })));
    const step = valueAndGrad(loss);
    let first = 0;
    let last = 0;
    for (let s = 0; s < 40; s++) {
      const [l, g] = step(params);
      if (s === 0) first = num(l);
      last = num(l);
      params = sgd(params, g, 0.5);
    }
    expect(last).toBeLessThan(0.25 * first);
    const predicted = jt.argmax(model.apply(params, x).y, { axis: -1 });
    expect(num(jt.mean(jt.cast(jt.equal(predicted, jt.array(labels)), 'float32')))).toBeGreaterThan(
      0.95,
    );
  });

  it('an LSTM learns to output the mean of its sequence', () => {
    const x = jt.random.uniform(jt.random.key(3), [32, 6, 1], { minval: -1, maxval: 1 });
    const target = jt.mean(x, { axis: 1 });
    const model = nn.sequential(nn.lstm({ features: 8 }), nn.dense({ features: 1 }));
    let { params } = model.init(jt.random.key(0), [32, 6, 1]);
    const loss = (p: typeof params) => jt.mean(jt.square(jt.sub(model.apply(p, x).y, target)));
    const step = valueAndGrad(loss);
    let first = 0;
    let last = 0;
    for (let s = 0; s < 60; s++) {
      const [l, g] = step(params);
      if (s === 0) first = num(l);
      last = num(l);
      params = sgd(params, g, 0.5);
    }
    expect(last).toBeLessThan(0.2 * first);
  });
});
