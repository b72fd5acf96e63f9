import * as jt from '@jute/tensor';
import { checkFinite } from '../internal/check';
import * as n from '../internal/num';
import { makeSchedule, type Schedule } from './schedule';

/** Step boundaries and the factor applied from each one on: `{ 1000: 0.1 }` or `[[1000, 0.1]]`. */
export type BoundariesAndScales =
  | Readonly<Record<number, number>>
  | readonly (readonly [number, number])[];

/** Sorted, validated `[boundary, scale]` pairs. */
export function boundaryPairs(
  op: string,
  spec: BoundariesAndScales | undefined,
): [number, number][] {
  if (spec === undefined) return [];
  const pairs: [number, number][] = Array.isArray(spec)
    ? spec.map(([b, s]) => [b, s])
    : Object.entries(spec).map(([b, s]) => [Number(b), s as number]);
  for (const [b, s] of pairs) {
    checkFinite(op, 'boundary', b);
    checkFinite(op, `scale at boundary ${b}`, s);
    if (s < 0)
      throw new jt.ValueError(`${op}: scales must be non-negative, got ${s} at boundary ${b}`);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** Options of `piecewiseConstantSchedule`. */
export interface PiecewiseConstantScheduleOptions {
  initValue: number;
  /** From each boundary step on, the value is multiplied by its scale. */
  boundariesAndScales?: BoundariesAndScales;
}

/**
 * `initValue` times the product of the scales of every boundary `<= step`.
 * @example
 * const s = optim.piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: { 100: 0.1, 200: 0.1 } });
 * s(150); // 0.1
 */
export function piecewiseConstantSchedule(options: PiecewiseConstantScheduleOptions): Schedule {
  const op = 'piecewiseConstantSchedule';
  const init = checkFinite(op, 'initValue', options.initValue);
  const pairs = boundaryPairs(op, options.boundariesAndScales);
  return makeSchedule((step) => {
    let v: n.Num = init;
    let factor = init;
    for (const [b, s] of pairs) {
      factor *= s;
      v = n.where(n.less(step, b), v, factor);
    }
    return v;
  });
}
