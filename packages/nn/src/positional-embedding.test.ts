import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f64 } from '../test/helpers';
import * as nn from './index';

describe('positionalEmbedding', () => {
  const pos = nn.positionalEmbedding({ maxLength: 4 });
  const table = f64([
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
  ]);
  const x = f64([
    [
      [10, 20],
      [30, 40],
    ],
  ]);
  it('adds the rows of the positions, from the offset on', () => {
    const { params, outputShape } = pos.init(jt.random.key(0), [1, 2, 2]);
    expect(params.embedding.shape).toEqual([4, 2]);
    expect(outputShape).toEqual([1, 2, 2]);
    expectClose(pos.apply({ embedding: table }, x).y, [
      [
        [11, 22],
        [33, 44],
      ],
    ]);
    expectClose(pos.apply({ embedding: table }, x, { offset: 2 }).y, [
      [
        [15, 26],
        [37, 48],
      ],
    ]);
    expectClose(pos.apply({ embedding: table }, x, { offset: jt.array(1, { dtype: 'int32' }) }).y, [
      [
        [13, 24],
        [35, 46],
      ],
    ]);
  });
  it('refuses positions beyond the table', () => {
    expect(() => pos.apply({ embedding: table }, x, { offset: 3 })).toThrow(/exceed the 4/);
    expect(() => pos.init(jt.random.key(0), [1, 5, 2])).toThrow(jt.ShapeError);
  });
  it('trains only the rows it used', () => {
    const g = grad((t: jt.Array) => jt.sum(pos.apply({ embedding: t }, x, { offset: 1 }).y))(table);
    expectClose(g, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    expectGradsOk(
      (t: jt.Array, v: jt.Array) => jt.tanh(pos.apply({ embedding: t }, v).y),
      [table, x],
    );
  });
});
