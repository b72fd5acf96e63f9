import { checkFinite } from '../internal/check';
import { makeSchedule, type Schedule } from './schedule';

/**
 * A schedule that always returns `value`.
 * @example optim.constantSchedule(0.1)(1000); // 0.1
 */
export function constantSchedule(value: number): Schedule {
  checkFinite('constantSchedule', 'value', value);
  return makeSchedule(() => value);
}
