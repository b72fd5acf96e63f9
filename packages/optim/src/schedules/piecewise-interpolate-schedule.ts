import * as jt from '@jute/tensor';
import { checkFinite } from '../internal/check';
import * as n from '../internal/num';
import { type BoundariesAndScales, boundaryPairs } from './piecewise-constant-schedule';
import { makeSchedule, type Schedule } from './schedule';

/** Options of `piecewiseInterpolateSchedule`. */
export interface PiecewiseInterpolateScheduleOptions {
  interpolateType: 'linear' | 'cosine';
  initValue: number;
  /** The value reached at each boundary is the previous one times its scale. */
  boundariesAndScales?: BoundariesAndScales;
}

/**
 * Interpolates (linearly or along a half cosine) between the values reached at each
 * boundary, starting from `initValue` at step 0.
 * @example
 * const s = optim.piecewiseInterpolateSchedule({ interpolateType: 'linear', initValue: 1, boundariesAndScales: { 4: 0.1 } });
 * s(2); // 0.55
 */
export function piecewiseInterpolateSchedule(
  options: PiecewiseInterpolateScheduleOptions,
): Schedule {
  const op = 'piecewiseInterpolateSchedule';
  const type = options.interpolateType;
  if (type !== 'linear' && type !== 'cosine') {
    throw new jt.ValueError(
      `${op}: interpolateType must be 'linear' or 'cosine', got ${String(type)}`,
    );
  }
  const init = checkFinite(op, 'initValue', options.initValue);
  const pairs = boundaryPairs(op, options.boundariesAndScales);
  const bounds = [0, ...pairs.map(([b]) => b)];
  const values = [init];
  for (const [, s] of pairs) values.push(values[values.length - 1]! * s);
  const interp = (a: number, b: number, pct: n.Num): n.Num =>
    type === 'linear'
      ? n.add(n.mul(b - a, pct), a)
      : n.add(b, n.mul((a - b) / 2, n.add(n.cos(n.mul(Math.PI, pct)), 1)));
  return makeSchedule((step) => {
    let v: n.Num = values[values.length - 1]!;
    for (let i = bounds.length - 2; i >= 0; i--) {
      const size = Math.max(bounds[i + 1]! - bounds[i]!, 1);
      const pct = n.div(n.sub(step, bounds[i]!), size);
      v = n.where(n.less(step, bounds[i + 1]!), interp(values[i]!, values[i + 1]!, pct), v);
    }
    return n.where(n.less(step, 0), init, v);
  });
}
