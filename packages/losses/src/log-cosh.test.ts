import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, it } from 'vitest';
import { expectClose, expectFiniteWithGrad, expectGradsOk, f32, f64 } from '../test/helpers';
import { logCosh } from './log-cosh';

describe('logCosh', () => {
  it('matches log(cosh(d))', () => {
    const d = [0, 1, -2, 0.1];
    expectClose(
      logCosh(f64(d), f64([0, 0, 0, 0])),
      d.map((v) => Math.log(Math.cosh(v))),
      [4],
      1e-12,
    );
  });
  it('is |d| - log 2 far away, where cosh overflows', () => {
    expectClose(logCosh(f32([1e4, -1e4]), f32([0, 0])), [1e4 - Math.LN2, 1e4 - Math.LN2], [2]);
    expectFiniteWithGrad((x) => logCosh(x, f32([0, 0])), f32([1e4, -1e4]));
  });
  it('has gradient tanh(d), 0 at d = 0', () => {
    const g = grad((x: jt.Array) => jt.sum(logCosh(x, f64([0, 0, 0]))))(
      f64([0, 0.5, -3]),
    ) as jt.Array;
    expectClose(g, [0, Math.tanh(0.5), Math.tanh(-3)], [3], 1e-12);
  });
  it('has correct gradients', () => {
    expectGradsOk(
      (x) =>
        logCosh(
          x,
          f64([
            [0, 1],
            [2, -1],
          ]),
        ),
      [
        f64([
          [0.3, -4],
          [2.2, -0.7],
        ]),
      ],
    );
  });
  it('has correct second derivatives', () => {
    expectGradsOk((x) => logCosh(x, f64([0, 1, 2])), [f64([0.3, -4, 2.2])], 2);
  });
});
