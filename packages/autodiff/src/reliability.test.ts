import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { grad, vmap } from './index';

describe('relu', () => {
  it('has derivative 0 at 0 (as jax.nn.relu), 1 above, 0 below', () => {
    const d = vmap(grad((x: jt.Array) => jt.relu(x)))(jt.array([-1, 0, 2]));
    expect(d.toArray()).toEqual([0, 0, 1]);
  });

  it('keeps NaN, and so does its gradient', () => {
    expect(Number.isNaN(Number(jt.relu(Number.NaN)))).toBe(true);
    // The gradient at NaN is 1 (the select passes x through), so a NaN upstream of relu
    // still reaches the parameters' gradients instead of being silenced.
    expect(grad((x: jt.Array) => jt.relu(x))(jt.array(Number.NaN)).item()).toBe(1);
  });
});
