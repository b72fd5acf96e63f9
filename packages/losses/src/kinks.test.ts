import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { hinge } from './hinge';
import { huber } from './huber';
import { l1Penalty } from './l1-penalty';
import { meanAbsoluteError } from './mean-absolute-error';
import { squaredHinge } from './squared-hinge';

/**
 * Gradients where a loss's pieces meet, against what JAX/Optax compute there, derived by
 * hand from Optax's definitions (optax/losses/_regression.py, _classification.py) and the
 * JVP rules of the lax primitives: `max`/`min` split a tie's tangent evenly between their
 * operands, `abs` has tangent `sign(x)` (0 at 0), `select` passes the chosen branch's.
 */

const f64 = (xs: number[]) => jt.array(xs, { dtype: 'float64' });
/** Per-element derivative of the summed loss with respect to the predictions (-0 read as 0). */
const dLoss = (loss: (p: jt.Array) => jt.Array, points: number[]): number[] =>
  [...grad((p: jt.Array) => jt.sum(loss(p)))(f64(points)).data()].map((v) => v + 0);

describe('loss gradients at the kinks follow Optax', () => {
  it('huber: 0 at d = 0 and ±delta at |d| = delta', () => {
    // optax.huber_loss: a = |d|; q = min(a, delta); 0.5 q² + delta (a - q).
    // At d = 0: dq = 0.5·sign(0)·... = 0 and a' = sign(0) = 0, so 0.
    // At d = delta: min ties, dq/dd = 1/2; 0.5·2q·(1/2) + delta·(1 - 1/2) = delta/2 + delta/2
    // = delta. (Huber is C1, so this is its derivative, whatever the tie rule.)
    const delta = 1.5;
    const got = dLoss((p) => huber(p, f64([0, 0, 0, 0, 0]), { delta }), [-delta, 0, delta, 3, -3]);
    expect(got).toEqual([-delta, 0, delta, delta, -delta]);
  });

  it('hinge: -t/2 at the margin (as optax.hinge_loss, a jnp.maximum)', () => {
    // optax.hinge_loss = max(0, 1 - p·t): at p·t = 1 the tie gives d/dp = (1/2)·(-t).
    const t = f64([1, -1, 1, 1]);
    expect(dLoss((p) => hinge(p, t), [1, -1, 0, 2])).toEqual([-0.5, 0.5, -1, 0]);
  });

  it('squaredHinge: 0 at the margin', () => {
    // max(0, m)² has derivative 2·max(0, m)·dm = 0 at m = 0, whatever the tie rule.
    const t = f64([1, -1]);
    expect(dLoss((p) => squaredHinge(p, t), [1, -1])).toEqual([0, 0]);
  });

  it('meanAbsoluteError and l1Penalty: 0 at 0 (sign(0) = 0, as jnp.abs)', () => {
    expect(dLoss((p) => meanAbsoluteError(p, f64([0, 0, 0])), [-2, 0, 2])).toEqual([-1, 0, 1]);
    expect([...grad((p: jt.Array) => l1Penalty({ p }))(f64([-2, 0, 2])).data()]).toEqual([
      -1, 0, 1,
    ]);
  });

  it('hinge propagates NaN instead of hiding it as 0', () => {
    const [v] = hinge(f64([Number.NaN]), f64([1])).data();
    expect(v).toBeNaN();
  });
});
