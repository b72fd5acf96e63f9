import * as jt from '@jute/tensor';
import type { GradientTransformation } from '../gradient-transformation';
import { checkNonNegativeInt } from '../internal/check';
import { incrementCount, zeroCount } from '../internal/count';
import * as n from '../internal/num';
import { expectCount, expectState } from '../internal/state';
import { type Leaf, selectTree, zerosLikeTree } from '../internal/tree';

/** State of `applyIfFinite`: skip counters and the inner state. */
export type ApplyIfFiniteState<S> = {
  /** Consecutive updates skipped so far. */
  notFiniteCount: jt.Array;
  /** Whether the last update was finite (bool scalar). */
  lastFinite: jt.Array;
  /** Updates skipped in total. */
  totalNotFinite: jt.Array;
  innerState: S;
};

/** Options of `applyIfFinite`. */
export interface ApplyIfFiniteOptions {
  /** After this many consecutive non-finite updates, apply them anyway (default 5). */
  maxConsecutiveErrors?: number;
}

/** Whether every element of every leaf is finite (a JS boolean when concrete). */
function allFinite(tree: unknown): n.Bool {
  let ok: n.Bool = true;
  for (const leaf of jt.tree.leaves<Leaf>(tree)) {
    const f = n.boolOf(jt.all(jt.isFinite(leaf)));
    if (f === false) return false;
    ok = n.and(ok, f);
  }
  return ok;
}

/**
 * Skips updates that contain NaN or Inf: the updates become zeros and the inner
 * state is kept, so one bad batch does not poison the moments. After
 * `maxConsecutiveErrors` bad updates in a row they are applied anyway (failing loudly).
 * @example const opt = optim.applyIfFinite(optim.adam({ learningRate: 1e-3 }), { maxConsecutiveErrors: 3 });
 */
export function applyIfFinite<S>(
  inner: GradientTransformation<S>,
  options: ApplyIfFiniteOptions = {},
): GradientTransformation<ApplyIfFiniteState<S>> {
  const name = 'applyIfFinite';
  const maxErrors = checkNonNegativeInt(
    name,
    'maxConsecutiveErrors',
    options.maxConsecutiveErrors ?? 5,
  );
  const op = `${name}.update`;
  return {
    init: (params) => ({
      notFiniteCount: zeroCount(),
      lastFinite: jt.scalar(true),
      totalNotFinite: zeroCount(),
      innerState: inner.init(params),
    }),
    update: (updates, state, params) => {
      expectState<ApplyIfFiniteState<S>>(op, state, [
        'notFiniteCount',
        'lastFinite',
        'totalNotFinite',
        'innerState',
      ]);
      const bad = expectCount(op, 'notFiniteCount', state.notFiniteCount);
      const total = expectCount(op, 'totalNotFinite', state.totalNotFinite);
      const finite = allFinite(updates);
      if (typeof finite === 'boolean') {
        const notFinite = finite ? zeroCount() : incrementCount(bad);
        const counters = {
          notFiniteCount: notFinite,
          lastFinite: jt.scalar(finite),
          totalNotFinite: finite ? total : incrementCount(total),
        };
        if (finite || Number(notFinite.item()) > maxErrors) {
          const [u, s] = inner.update(updates, state.innerState, params);
          return [u, { ...counters, innerState: s }];
        }
        return [
          zerosLikeTree(updates) as typeof updates,
          { ...counters, innerState: state.innerState },
        ];
      }
      const notFinite = jt.where(finite, 0, incrementCount(bad));
      const apply = jt.logicalOr(finite, jt.greater(notFinite, maxErrors));
      const [u, s] = inner.update(updates, state.innerState, params);
      return [
        selectTree(apply, u, zerosLikeTree(updates) as typeof updates),
        {
          notFiniteCount: notFinite,
          lastFinite: finite,
          totalNotFinite: jt.where(finite, total, incrementCount(total)),
          innerState: selectTree(apply, s, state.innerState),
        },
      ];
    },
  };
}
