import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f32, f64, i32 } from '../test/helpers';
import { l1Penalty } from './l1-penalty';

describe('l1Penalty', () => {
  it('sums |w| over every leaf', () => {
    expectClose(l1Penalty({ dense: { w: f32([[1, -2]]), b: f32([3]) }, scale: -0.5 }), [6.5], []);
    expectClose(l1Penalty({}), [0], []);
  });
  it('has gradient sign(w)', () => {
    const g = grad((p: { w: jt.Array }) => l1Penalty(p))({ w: f32([2, -3, 0]) }) as { w: jt.Array };
    expectClose(g.w, [1, -1, 0], [3]);
  });
  it('has correct gradients', () => {
    expectGradsOk((a, b) => l1Penalty([a, { b }]), [f64([[0.3, -2]]), f64([1.5])]);
  });
  it('rejects integer leaves, naming the path', () => {
    expect(() => l1Penalty({ layers: [{ steps: i32([1]) }] })).toThrow(jt.DTypeError);
    expect(() => l1Penalty({ layers: [{ steps: i32([1]) }] })).toThrow(
      /l1Penalty: parameter 'layers.0.steps' is int32\[1\]/,
    );
  });
});
