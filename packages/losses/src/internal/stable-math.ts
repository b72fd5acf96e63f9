import * as jt from '@jute/tensor';

/**
 * `log(1 + e^x)` with the derivative `sigmoid(x)` everywhere, `x = 0` included.
 *
 * The usual `relu(x) + log1p(exp(-|x|))` evaluates correctly but its derivative at 0
 * is 0 rather than 1/2 (both kinks contribute nothing there), which biases the first
 * step from zero-initialised logits. Two branches, each fed only inputs where it is
 * safe (the "double where"), keep value and gradient finite for any |x|.
 */
export function softplus(x: jt.Array): jt.Array {
  const pos = jt.greater(x, 0);
  const xp = jt.where(pos, x, 0);
  const xn = jt.where(pos, 0, x);
  return jt.where(pos, jt.add(xp, jt.log1p(jt.exp(jt.neg(xp)))), jt.log1p(jt.exp(xn)));
}

/** `x · log(x)` with the convention `0 · log 0 = 0` (value and gradient stay finite). */
export function xlogx(x: jt.Array): jt.Array {
  const pos = jt.greater(x, 0);
  const safe = jt.where(pos, x, 1);
  return jt.where(pos, jt.mul(safe, jt.log(safe)), 0);
}

/**
 * `t · logSoftmax(logits)` over the last axis, elementwise, with `0 · log 0 = 0`: a class
 * masked with a `-Infinity` logit and a zero target contributes 0, not `0 · -Infinity`.
 * The cross-entropy term of softmax cross-entropy and of KL divergence.
 */
export function targetLogSoftmax(t: jt.Array, logits: jt.Array): jt.Array {
  const logp = jt.logSoftmax(logits, { axis: -1 });
  const masked = jt.logicalAnd(jt.equal(t, 0), jt.equal(logp, Number.NEGATIVE_INFINITY));
  return jt.mul(t, jt.where(masked, 0, logp));
}
