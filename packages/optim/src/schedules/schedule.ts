import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import type { Num } from '../internal/num';

/**
 * A hyperparameter as a function of the step count. Jute's schedules take a JS
 * number (and give a number) or a step array (and give a float array), so they work
 * both eagerly and inside transforms.
 * @example
 * const s: Schedule = optim.cosineDecaySchedule({ initValue: 0.1, decaySteps: 1000 });
 * s(500);               // 0.05
 * s(jt.scalar(500, 'int32')); // Array 0.05
 */
export interface Schedule {
  (step: number): number;
  (step: jt.Array): jt.Array;
  (step: number | jt.Array): number | jt.Array;
}

/**
 * What optimizer options accept for a schedulable hyperparameter: one of Jute's
 * schedules or any `(step: number) => number`.
 * @example const lr: ScheduleLike = (step) => 0.1 / (1 + step);
 */
export type ScheduleLike = Schedule | ((step: number) => number);

/** A number or a schedule. @example const lr: ScalarOrSchedule = optim.linearSchedule({ initValue: 0, endValue: 1e-3, transitionSteps: 100 }); */
export type ScalarOrSchedule = number | ScheduleLike;

/**
 * Builds a `Schedule` from a formula written once over numbers-or-arrays: a JS
 * step runs in plain JS arithmetic, a step array (cast to float) through array ops.
 * @example const half = makeSchedule((step) => 0.5);
 */
export function makeSchedule(formula: (step: Num) => Num): Schedule {
  function schedule(step: number): number;
  function schedule(step: jt.Array): jt.Array;
  function schedule(step: number | jt.Array): number | jt.Array;
  function schedule(step: number | jt.Array): number | jt.Array {
    if (typeof step === 'number') {
      const v = formula(step);
      return typeof v === 'number' ? v : Number(v.item());
    }
    const s = jt.isFloat(step.dtype) ? step : jt.cast(step, 'float32');
    const v = formula(s);
    return typeof v === 'number' ? jt.full(step.shape, v) : v;
  }
  return schedule;
}

/** Evaluates any schedule at a number-or-array step (user functions only ever see numbers). */
export function callSchedule(schedule: ScheduleLike, step: Num): Num {
  if (typeof step === 'number') return (schedule as (s: number) => number)(step);
  return (schedule as Schedule)(step);
}

/**
 * Evaluates a schedule at a stored step counter: as a JS number when the counter is
 * concrete (any `(step: number) => number` works), as an array when it is traced.
 */
export function evalSchedule(schedule: ScheduleLike, count: jt.Array): Num {
  if (count instanceof jc.Tracer) return (schedule as Schedule)(count);
  const v = (schedule as (s: number) => number)(Number(count.item()));
  return typeof v === 'number' ? v : Number((v as jt.Array).item());
}
