import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegative } from '../internal/check';
import { expectState } from '../internal/state';
import { type Leaf, mapMatchingMulti, zerosLikeTree } from '../internal/tree';

/** State of `trace`: the momentum buffer. */
export type TraceState = { trace: jt.PyTree };

/** Options of `trace` / `scaleByMomentum`. */
export interface TraceOptions {
  /** Momentum coefficient (>= 0, typically 0.9). */
  decay: number;
  /** Nesterov look-ahead: emit `g + decay * trace` instead of the trace (default false). */
  nesterov?: boolean;
}

/**
 * Heavy-ball momentum: `trace = g + decay * trace`, emitting the trace (or, with
 * Nesterov, the look-ahead `g + decay * trace`).
 * @example const opt = optim.chain(optim.trace({ decay: 0.9, nesterov: true }), optim.scaleByLearningRate(0.1));
 */
export function trace(options: TraceOptions): GradientTransformation<TraceState> {
  const name = 'trace';
  const decay = checkNonNegative(name, 'decay', options?.decay);
  const nesterov = options.nesterov ?? false;
  const op = `${name}.update`;
  return {
    init: (params) => ({ trace: zerosLikeTree(params) }),
    update: (updates, state) => {
      expectState<TraceState>(op, state, ['trace']);
      const [u, tr] = mapMatchingMulti(
        op,
        [
          ['updates', updates],
          ['state.trace', state.trace],
        ],
        2,
        (g: Leaf, t: Leaf) => {
          const t2 = jt.add(g, jt.mul(t, decay));
          return [nesterov ? jt.add(g, jt.mul(t2, decay)) : t2, t2];
        },
      );
      return [u as typeof updates, { trace: tr as jt.PyTree }];
    },
  };
}

/**
 * Momentum under its descriptive name; the same transformation as `trace`.
 * @example const opt = optim.chain(optim.scaleByMomentum({ decay: 0.9 }), optim.scaleByLearningRate(0.1));
 */
export const scaleByMomentum = trace;
