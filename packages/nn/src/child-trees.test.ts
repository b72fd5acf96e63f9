import * as jt from '@jute/tensor';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { NormParams } from './batch-norm';
import type { ConvParams } from './conv';
import { conv2d } from './conv';
import type { DenseParams } from './dense';
import { dense } from './dense';
import { named } from './layer';
import { layerNorm } from './layer-norm';
import { branch, parallel } from './parallel';
import { flatten } from './pooling';
import { residual } from './residual';
import { sequential } from './sequential';

const relu = (x: jt.Array) => jt.maximum(x, 0);
const key = jt.random.key(0);

describe('combinator parameter types follow their children', () => {
  it('sequential: <kind>_<position> keys for children with parameters, none for the others', () => {
    const model = sequential(
      conv2d({ features: 2, kernelSize: 3 }),
      relu,
      flatten(),
      dense({ features: 3 }),
    );
    const { params } = model.init(key, [1, 4, 4, 1]);
    expectTypeOf(params).toEqualTypeOf<{ conv2d_0: ConvParams; dense_3: DenseParams }>();
    expectTypeOf(params.conv2d_0.kernel).toEqualTypeOf<jt.Array>();
    // @ts-expect-error a misspelt key does not type-check
    params.conv2d_1;
    // The types name exactly the keys the runtime builds.
    expect(Object.keys(params).sort()).toEqual(['conv2d_0', 'dense_3']);
    expect(params.conv2d_0.kernel.shape).toEqual([3, 3, 1, 2]);
  });

  it('named children keep their names; nested combinators nest their trees', () => {
    const model = sequential(
      named('stem', dense({ features: 4 })),
      sequential(dense({ features: 4 }), relu),
      layerNorm(),
    );
    const { params } = model.init(key, [2, 3]);
    expectTypeOf(params).toEqualTypeOf<{
      stem: DenseParams;
      sequential_1: { dense_0: DenseParams };
      layer_norm_2: NormParams;
    }>();
    expect(Object.keys(params).sort()).toEqual(['layer_norm_2', 'sequential_1', 'stem']);
    expect(Object.keys(params.sequential_1)).toEqual(['dense_0']);
  });

  it('parallel and branch type their trees the same way; residual keeps its child’s', () => {
    const par = parallel(dense({ features: 2 }), named('wide', dense({ features: 5 })));
    const p = par.init(key, [1, 3]).params;
    expectTypeOf(p).toEqualTypeOf<{ dense_0: DenseParams; wide: DenseParams }>();
    expect(Object.keys(p).sort()).toEqual(['dense_0', 'wide']);

    const heads = branch(dense({ features: 1 }), relu);
    expectTypeOf(heads.init(key, [1, 3]).params).toEqualTypeOf<{ dense_0: DenseParams }>();

    const res = residual(dense({ features: 3 }));
    expectTypeOf(res.init(key, [1, 3]).params).toEqualTypeOf<DenseParams>();
    const withShortcut = residual(dense({ features: 4 }), { shortcut: dense({ features: 4 }) });
    const ps = withShortcut.init(key, [1, 3]).params;
    expectTypeOf(ps).toEqualTypeOf<{ main: DenseParams; shortcut: DenseParams }>();
    expect(Object.keys(ps).sort()).toEqual(['main', 'shortcut']);
  });

  it('falls back to string-keyed trees for a spread list of layers', () => {
    const layers = [dense({ features: 2 }), dense({ features: 2 })];
    const { params } = sequential(...layers).init(key, [1, 2]);
    expectTypeOf(params).toEqualTypeOf<Record<string, jt.PyTree>>();
  });
});
