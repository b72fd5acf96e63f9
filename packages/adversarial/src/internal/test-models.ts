import * as jt from '@jute/tensor';
import type { Model } from '../attack';

/** A linear classifier on flat inputs: `x @ w + b`. */
export interface Linear {
  readonly w: jt.Array;
  readonly b: jt.Array;
}
export const linear: Model<Linear> = (p, x) => jt.add(jt.matmul(x, p.w), p.b);

/** A small tanh MLP on inputs of any shape `[batch, ...]` (flattened first). */
export type Mlp = {
  readonly w1: jt.Array;
  readonly b1: jt.Array;
  readonly w2: jt.Array;
};
export const mlp: Model<Mlp> = (p, x) => {
  const flat = jt.reshape(x, [x.shape[0]!, -1]);
  return jt.matmul(jt.tanh(jt.add(jt.matmul(flat, p.w1), p.b1)), p.w2);
};

/** Random MLP parameters for `features` inputs and `classes` outputs. */
export function randomMlp(seed: number, features: number, classes: number, hidden = 8): Mlp {
  const [k1, k2, k3] = jt.random.split(jt.random.key(seed), 3);
  return {
    w1: jt.mul(jt.random.normal(k1!, [features, hidden]), 2 / Math.sqrt(features)),
    b1: jt.mul(jt.random.normal(k2!, [hidden]), 0.1),
    w2: jt.mul(jt.random.normal(k3!, [hidden, classes]), 2 / Math.sqrt(hidden)),
  };
}

export const labels = (xs: readonly number[]): jt.Array => jt.array(xs, { dtype: 'int32' });
