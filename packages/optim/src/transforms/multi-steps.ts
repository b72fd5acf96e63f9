import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkPositiveInt } from '../internal/check';
import { incrementCount, zeroCount } from '../internal/count';
import * as n from '../internal/num';
import { expectCount, expectState } from '../internal/state';
import { flattenMatching, type Leaf, selectTree, zerosLikeTree } from '../internal/tree';

/** State of `multiSteps`: position in the cycle, applied steps, the gradient sum, the inner state. */
export type MultiStepsState<S> = {
  miniStep: jt.Array;
  gradientStep: jt.Array;
  accGrads: jt.PyTree;
  innerState: S;
};

/** Options of `multiSteps`. */
export interface MultiStepsOptions {
  /** Number of gradients to accumulate per optimizer step. */
  everyK: number;
  /** Average the accumulated gradients (default true) rather than sum them. */
  useGradMean?: boolean;
}

/**
 * Gradient accumulation: collects `everyK` gradients and, on every `everyK`-th call,
 * applies `inner` to their mean (or sum). The other calls return zero updates and
 * leave the inner state untouched, so `applyUpdates` can run every call.
 * @example
 * const opt = optim.multiSteps(optim.adam({ learningRate: 1e-3 }), { everyK: 4 });
 */
export function multiSteps<S>(
  inner: GradientTransformation<S>,
  options: MultiStepsOptions,
): GradientTransformation<MultiStepsState<S>> {
  const name = 'multiSteps';
  const k = checkPositiveInt(name, 'everyK', options?.everyK);
  const useMean = options.useGradMean ?? true;
  const op = `${name}.update`;
  return {
    init: (params) => ({
      miniStep: zeroCount(),
      gradientStep: zeroCount(),
      accGrads: zerosLikeTree(params),
      innerState: inner.init(params),
    }),
    update: (updates, state, params) => {
      expectState<MultiStepsState<S>>(op, state, [
        'miniStep',
        'gradientStep',
        'accGrads',
        'innerState',
      ]);
      const mini = expectCount(op, 'miniStep', state.miniStep);
      const gstep = expectCount(op, 'gradientStep', state.gradientStep);
      const { def, leaves } = flattenMatching(op, [
        ['updates', updates],
        ['state.accGrads', state.accGrads],
      ]);
      const acc = jt.tree.unflatten(
        def,
        leaves[0]!.map((g, i) => jt.add(leaves[1]![i]!, g)),
      ) as typeof updates;
      const emit = n.lessEqual(k - 1, n.scalarOf(mini));
      const apply = (): [typeof updates, MultiStepsState<S>] => {
        const mean =
          useMean && k > 1
            ? (jt.tree.map((a: Leaf) => jt.mul(a, 1 / k), acc) as typeof updates)
            : acc;
        const [u, s] = inner.update(mean, state.innerState, params);
        const next = {
          miniStep: zeroCount(),
          gradientStep: incrementCount(gstep),
          accGrads: zerosLikeTree(acc),
          innerState: s,
        };
        return [u, next];
      };
      const wait = (): [typeof updates, MultiStepsState<S>] => [
        zerosLikeTree(updates) as typeof updates,
        {
          miniStep: incrementCount(mini),
          gradientStep: gstep,
          accGrads: acc as jt.PyTree,
          innerState: state.innerState,
        },
      ];
      if (typeof emit === 'boolean') return emit ? apply() : wait();
      // Traced counter: compute both branches and select leafwise.
      const [ua, sa] = apply();
      const [uw, sw] = wait();
      return [selectTree(emit, ua, uw), selectTree(emit, sa, sw)];
    },
  };
}

/**
 * Whether the last `multiSteps` update applied the inner optimizer (its cycle restarted).
 * @example if (optim.multiStepsHasUpdated(state)) log(step);
 */
export function multiStepsHasUpdated(state: MultiStepsState<unknown>): boolean | jt.Array {
  const mini = n.scalarOf(state.miniStep);
  const g = n.scalarOf(state.gradientStep);
  const r = n.and(n.lessEqual(mini, 0), n.less(0, g));
  return r;
}
