import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { incrementCount, zeroCount } from '../internal/count';
import type { Num } from '../internal/num';
import { expectCount, expectState } from '../internal/state';
import type { Leaf } from '../internal/tree';
import { evalSchedule, type ScheduleLike } from '../schedules/schedule';

/** State of `scaleBySchedule`: the number of updates so far. */
export type ScaleByScheduleState = { count: jt.Array };

/** Multiplies every leaf by a (concrete or traced) scalar, keeping each leaf's dtype. */
export function scaleTree<T>(updates: T, factor: Num): T {
  return jt.tree.map((g: Leaf) => {
    const out = jt.mul(g, factor);
    return g instanceof jt.Array && out.dtype !== g.dtype ? jt.cast(out, g.dtype) : out;
  }, updates) as T;
}

/**
 * Multiplies updates by `schedule(count)`, where `count` counts the updates made so far.
 * @example const warm = optim.scaleBySchedule(optim.linearSchedule({ initValue: 0, endValue: 1, transitionSteps: 100 }));
 */
export function scaleBySchedule(
  schedule: ScheduleLike,
): GradientTransformation<ScaleByScheduleState> {
  if (typeof schedule !== 'function') {
    throw new jt.ValueError(
      `scaleBySchedule: schedule must be a function of the step, got ${typeof schedule}`,
    );
  }
  const op = 'scaleBySchedule.update';
  return {
    init: () => ({ count: zeroCount() }),
    update: (updates, state) => {
      expectState<ScaleByScheduleState>(op, state, ['count']);
      const count = expectCount(op, 'count', state.count);
      const factor = evalSchedule(schedule, count);
      return [scaleTree(updates, factor), { count: incrementCount(count) }];
    },
  };
}
