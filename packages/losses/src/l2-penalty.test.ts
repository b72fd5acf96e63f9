import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradsOk, f32, f64 } from '../test/helpers';
import { l2Penalty } from './l2-penalty';

describe('l2Penalty', () => {
  it('is 0.5·Σw² over every leaf', () => {
    expectClose(l2Penalty({ w: f32([[1, -2]]), b: f32([3]) }), [7], []);
    expectClose(l2Penalty([]), [0], []);
  });
  it('has gradient w (the reason for the 0.5)', () => {
    const params = { w: f32([[1, -2]]), b: f32([3]) };
    const g = grad((p: typeof params) => l2Penalty(p))(params) as typeof params;
    expectClose(g.w, [[1, -2]], [1, 2]);
    expectClose(g.b, [3], [1]);
  });
  it('keeps float64', () => {
    expect(l2Penalty({ w: f64([1]) }).dtype).toBe('float64');
  });
  it('has correct gradients', () => {
    expectGradsOk((a, b) => l2Penalty({ a, b }), [f64([[0.3, -2]]), f64([1.5])]);
  });
  it('rejects boolean leaves', () => {
    expect(() => l2Penalty({ mask: jt.array([true]) })).toThrow(jt.DTypeError);
  });
});
