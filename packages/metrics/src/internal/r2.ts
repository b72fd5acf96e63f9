import * as jt from '@jute/tensor';

/**
 * R² per output from the residual (`sse`) and total (`m2`) sums of squares, averaged
 * uniformly over outputs. A constant target (`m2 = 0`) scores 1 when the residual is
 * 0 and 0 otherwise (sklearn's `force_finite`).
 */
export function r2FromSums(sse: jt.Array, m2: jt.Array): jt.Array {
  const pos = jt.greater(m2, 0);
  const ratio = jt.div(sse, jt.where(pos, m2, 1));
  return jt.mean(jt.where(pos, jt.sub(1, ratio), jt.where(jt.equal(sse, 0), 1, 0)));
}
