import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import type { GradientTransformation } from '../gradient-transformation';
import { incrementCount, zeroCount } from '../internal/count';
import { expectCount, expectState } from '../internal/state';
import { evalSchedule, type ScheduleLike } from '../schedules/schedule';

/** State of `injectHyperparams`: step count, current hyperparameter values, inner state. */
export type InjectHyperparamsState<S> = {
  count: jt.Array;
  hyperparams: { [name: string]: jt.Array };
  innerState: S;
};

/** Options of `injectHyperparams`. */
export interface InjectHyperparamsOptions {
  /**
   * Option names passed through as they are, never stored in the state. Numbers are
   * stored and functions are treated as schedules unless named here (`mask` always is).
   */
  staticArgs?: readonly string[];
}

/** The factory's options, where every numeric option may also be a schedule. */
export type InjectableOptions<O> = {
  [K in keyof O]: O[K] extends number | undefined ? O[K] | ScheduleLike : O[K];
};

/**
 * Wraps an optimizer factory so that its numeric hyperparameters (learning rate,
 * betas, weight decay ...) live in the optimizer state as scalar float32 arrays:
 * they checkpoint with it and can be changed between steps by replacing
 * `state.hyperparams.<name>`. Hyperparameters given as schedules are evaluated at
 * the step count and the value used is stored. The factory is rebuilt at every
 * update from the stored values, which are read as JS numbers (the state must be
 * concrete, not traced).
 * @example
 * const opt = optim.injectHyperparams(optim.adam)({ learningRate: 1e-3 });
 * let state = opt.init(params);
 * state = { ...state, hyperparams: { ...state.hyperparams, learningRate: jt.scalar(1e-4) } };
 */
export function injectHyperparams<O extends object, S>(
  factory: (options: O) => GradientTransformation<S>,
  config: InjectHyperparamsOptions = {},
): (options: InjectableOptions<O>) => GradientTransformation<InjectHyperparamsState<S>> {
  const staticNames = new Set(['mask', ...(config.staticArgs ?? [])]);
  return (options) => {
    const statics: Record<string, unknown> = {};
    const numbers: Record<string, number> = {};
    const schedules: Record<string, ScheduleLike> = {};
    for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
      if (value === undefined) continue;
      if (staticNames.has(key)) statics[key] = value;
      else if (typeof value === 'number') numbers[key] = value;
      else if (typeof value === 'function') schedules[key] = value as ScheduleLike;
      else statics[key] = value;
    }
    const names = [...Object.keys(numbers), ...Object.keys(schedules)].sort();
    const op = 'injectHyperparams.update';
    const build = (values: Record<string, number>) => factory({ ...statics, ...values } as O);
    const scheduled = (count: jt.Array): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const [k, s] of Object.entries(schedules)) {
        const v = evalSchedule(s, count);
        if (typeof v !== 'number')
          throw new jt.TraceError(
            `${op}: schedules for injected hyperparameters need a concrete step count`,
          );
        out[k] = v;
      }
      return out;
    };
    // Built once up front so invalid hyperparameters fail at construction.
    const initial = { ...numbers, ...scheduled(zeroCount()) };
    build(initial);
    return {
      init: (params) => {
        const hyperparams: { [name: string]: jt.Array } = {};
        for (const k of names) hyperparams[k] = jt.scalar(initial[k]!, 'float32');
        return { count: zeroCount(), hyperparams, innerState: build(initial).init(params) };
      },
      update: (updates, state, params) => {
        expectState<InjectHyperparamsState<S>>(op, state, ['count', 'hyperparams', 'innerState']);
        expectState(`${op} (state.hyperparams)`, state.hyperparams, names);
        const count = expectCount(op, 'count', state.count);
        const values: Record<string, number> = {};
        for (const k of Object.keys(numbers)) {
          const h = state.hyperparams[k];
          if (!(h instanceof jt.Array) || h.size !== 1) {
            throw new jt.ValueError(`${op}: state.hyperparams.${k} must be a scalar array`);
          }
          if (h instanceof jc.Tracer)
            throw new jt.TraceError(
              `${op}: hyperparameter '${k}' is traced; injected values are read as numbers`,
            );
          values[k] = Number(h.item());
        }
        Object.assign(values, scheduled(count));
        const [u, s] = build(values).update(updates, state.innerState, params);
        const hyperparams = { ...state.hyperparams };
        for (const k of Object.keys(schedules)) hyperparams[k] = jt.scalar(values[k]!, 'float32');
        return [u, { count: incrementCount(count), hyperparams, innerState: s }];
      },
    };
  };
}
