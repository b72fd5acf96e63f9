import * as jt from '@jute/tensor';
import { checkFinite } from '../internal/check';
import * as n from '../internal/num';
import { callSchedule, makeSchedule, type Schedule, type ScheduleLike } from './schedule';

/**
 * Runs `schedules[i]` from `boundaries[i-1]` on, each seeing the steps since its
 * own start.
 * @example
 * const s = optim.joinSchedules([optim.constantSchedule(1), optim.constantSchedule(2)], [10]);
 * s(12); // 2
 */
export function joinSchedules(
  schedules: readonly ScheduleLike[],
  boundaries: readonly number[],
): Schedule {
  const op = 'joinSchedules';
  if (schedules.length === 0 || boundaries.length !== schedules.length - 1) {
    throw new jt.ValueError(
      `${op}: needs one boundary fewer than schedules, got ${schedules.length} schedules and ${boundaries.length} boundaries`,
    );
  }
  boundaries.forEach((b, i) => {
    checkFinite(op, `boundaries[${i}]`, b);
    if (i > 0 && b < boundaries[i - 1]!)
      throw new jt.ValueError(`${op}: boundaries must be sorted, got ${boundaries.join(', ')}`);
  });
  return makeSchedule((step) => {
    let v = callSchedule(schedules[0]!, step);
    boundaries.forEach((b, i) => {
      const later = callSchedule(schedules[i + 1]!, n.sub(step, b));
      v = n.where(n.less(step, b), v, later);
    });
    return v;
  });
}
