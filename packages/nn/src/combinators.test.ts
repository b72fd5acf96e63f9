import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f64 } from '../test/helpers';
import * as nn from './index';

const key = jt.random.key(0);

describe('sequential', () => {
  const model = nn.sequential(
    nn.conv2d({ features: 4, kernelSize: [3, 3] }),
    nn.batchNorm(),
    nn.relu,
    nn.maxPool2d({ window: [2, 2] }),
    nn.flatten(),
    nn.dropout({ rate: 0.5 }),
    nn.dense({ features: 3 }),
  );
  it('names children <kind>_<position> and leaves out those without parameters', () => {
    const { params, state, outputShape } = model.init(key, [2, 8, 8, 1]);
    expect(outputShape).toEqual([2, 3]);
    expect(Object.keys(params).sort()).toEqual(['batch_norm_1', 'conv2d_0', 'dense_6']);
    expect(Object.keys(state)).toEqual(['batch_norm_1']);
    expect(jt.tree.flattenWithPath(params).map(([p]) => p)).toContain('dense_6.kernel');
    expect(params.dense_6).toMatchObject({ kernel: expect.any(jt.Array) });
    expect((params.dense_6 as unknown as nn.DenseParams).kernel.shape).toEqual([64, 3]);
  });
  it('threads state and keys, and is pure', () => {
    const { params, state } = model.init(key, [2, 8, 8, 1]);
    const x = jt.random.normal(jt.random.key(1), [2, 8, 8, 1]);
    const a = model.apply(params, x, { state, key: jt.random.key(2), training: true });
    const b = model.apply(params, x, { state, key: jt.random.key(2), training: true });
    expectClose(a.y, b.y, 0);
    expect(a.state.batch_norm_1).not.toBe(state.batch_norm_1);
    expectClose((state.batch_norm_1 as unknown as nn.BatchNormState).mean, jt.zeros([4]));
    const inference = model.apply(params, x, { state: a.state });
    expect(inference.y.shape).toEqual([2, 3]);
    expect(inference.state).toEqual(a.state);
  });
  it('uses explicit names from named and accepts plain functions', () => {
    const m = nn.sequential(
      nn.named('hidden', nn.dense({ features: 4 })),
      (x) => jt.mul(x, 2),
      nn.named('out', nn.dense({ features: 1 })),
    );
    const { params, outputShape } = m.init(key, [3, 2]);
    expect(Object.keys(params)).toEqual(['hidden', 'out']);
    expect(outputShape).toEqual([3, 1]);
    expect(m.children.map((c) => c.name)).toEqual(['hidden', 'fn_1', 'out']);
    expect(() => nn.sequential(nn.named('a', nn.relu), nn.named('a', nn.tanh))).toThrow(
      /two children are named 'a'/,
    );
  });
  it('names the layer path in shape errors', () => {
    const inner = nn.sequential(nn.named('conv1', nn.conv2d({ features: 2, kernelSize: 3 })));
    const outer = nn.sequential(nn.named('block1', inner), nn.flatten());
    expect(() => outer.init(key, [2, 8, 8])).toThrow(
      /layer 'block1\.conv1': conv2d: expected an input of rank 4 \[batch, height, width, channels\], got \[2,8,8\]/,
    );
    const { params } = outer.init(key, [2, 8, 8, 3]);
    let err: unknown;
    try {
      outer.apply(params, jt.ones([2, 8, 8, 1]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(jt.ShapeError);
    expect(String(err)).toMatch(
      /ShapeError: layer 'block1\.conv1': conv2d: expected 3 input channels \(last axis\), got input \[2,8,8,1\]/,
    );
    expect(nn.errorPath(err)).toEqual(['block1', 'conv1']);
    expect(() =>
      model.apply(model.init(key, [2, 8, 8, 1]).params, jt.ones([2, 8, 8, 1]), {
        state: model.init(key, [2, 8, 8, 1]).state,
        training: true,
      }),
    ).toThrow(/layer 'dropout_5': dropout: training mode needs a PRNG key/);
  });
});

describe('residual, parallel, branch', () => {
  it('residual adds the input and keeps the inner parameters', () => {
    const r = nn.residual(nn.dense({ features: 2 }));
    const { params } = r.init(key, [1, 2]);
    expect(Object.keys(params as object).sort()).toEqual(['bias', 'kernel']);
    const p = {
      kernel: f64([
        [1, 0],
        [0, 2],
      ]),
      bias: f64([0, 1]),
    };
    expectClose(r.apply(p, f64([[3, 4]])).y, [[3 + 3, 4 + 9]]);
    expect(() => nn.residual(nn.dense({ features: 3 })).init(key, [1, 2])).toThrow(
      /residual needs equal shapes/,
    );
    const proj = nn.residual(nn.dense({ features: 3 }), {
      shortcut: nn.dense({ features: 3, useBias: false }),
    });
    const pr = proj.init(key, [1, 2]);
    expect(Object.keys(pr.params as object)).toEqual(['main', 'shortcut']);
    expect(proj.apply(pr.params, f64([[1, 2]])).y.shape).toEqual([1, 3]);
  });
  it('parallel concatenates on the last axis', () => {
    const p = nn.parallel(nn.dense({ features: 2 }), nn.dense({ features: 3 }), nn.relu);
    const { params, outputShape } = p.init(key, [4, 5]);
    expect(outputShape).toEqual([4, 10]);
    expect(Object.keys(params)).toEqual(['dense_0', 'dense_1']);
    const x = jt.ones([4, 5]);
    const { y } = p.apply(params, x);
    expect(y.shape).toEqual([4, 10]);
    expectClose(jt.slice(y, [0, 5], [4, 10]), jt.ones([4, 5]));
  });
  it('branch returns a tuple', () => {
    const b = nn.branch(
      nn.named('policy', nn.dense({ features: 4 })),
      nn.named('value', nn.dense({ features: 1 })),
    );
    const { params, outputShapes } = b.init(key, [2, 3]);
    expect(outputShapes).toEqual([
      [2, 4],
      [2, 1],
    ]);
    const {
      y: [pi, v],
    } = b.apply(params, jt.ones([2, 3]));
    expect(pi!.shape).toEqual([2, 4]);
    expect(v!.shape).toEqual([2, 1]);
  });
  it('fn infers output shapes without computing', () => {
    const f = nn.fn((x) => jt.sum(x, { axis: -1 }), 'sum');
    expect(f.init(key, [3, 4]).outputShape).toEqual([3]);
  });
});
