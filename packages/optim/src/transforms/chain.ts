import * as jt from '@jute/tensor';
import type { GradientTransformation, StateOf } from '../gradient-transformation';

/** The state of a `chain`: one state per transformation, in order. */
export type ChainState<Ts extends readonly GradientTransformation<unknown>[]> = {
  -readonly [K in keyof Ts]: StateOf<Ts[K]>;
};

/**
 * Runs transformations one after the other, each feeding its updates to the next.
 * The state is a JS array with one entry per transformation.
 * @example
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.scaleByAdam(), optim.scaleByLearningRate(1e-3));
 */
export function chain<const Ts extends readonly GradientTransformation<unknown>[]>(
  ...transforms: Ts
): GradientTransformation<ChainState<Ts>> {
  transforms.forEach((t, i) => {
    if (
      t === null ||
      typeof t !== 'object' ||
      typeof t.init !== 'function' ||
      typeof t.update !== 'function'
    ) {
      throw new jt.ValueError(
        `chain: argument ${i} is not a GradientTransformation ({ init, update })`,
      );
    }
  });
  return {
    init: (params) => transforms.map((t) => t.init(params)) as ChainState<Ts>,
    update: (updates, state, params) => {
      if (state === undefined || state === null) {
        throw new jt.ValueError(
          'chain.update: no optimizer state; call init(params) and pass its result to update',
        );
      }
      if (!Array.isArray(state) || state.length !== transforms.length) {
        const got = Array.isArray(state) ? `a list of ${state.length}` : 'an object';
        throw new jt.ValueError(
          `chain.update: expected a state list of ${transforms.length} (one per transformation), got ${got}; the state was made by another transformation`,
        );
      }
      const next: unknown[] = [];
      let u = updates;
      transforms.forEach((t, i) => {
        const [u2, s2] = t.update(u, state[i], params);
        u = u2;
        next.push(s2);
      });
      return [u, next as ChainState<Ts>];
    },
  };
}
