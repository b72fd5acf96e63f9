import type * as jt from '@jute/tensor';

/**
 * Optimizer state: a pytree of arrays (and numbers), so it can be checkpointed,
 * mapped over and compared exactly like parameters.
 */
export type OptState = jt.PyTree;

/** The state of a transformation that keeps none. */
export type EmptyState = Record<string, never>;

/**
 * A pure, immutable optimizer building block. `init` builds a state from the
 * parameters; `update` maps incoming updates (gradients) and the state to outgoing
 * updates and the next state. Nothing is mutated, so a state can be replayed.
 * @example
 * const opt: GradientTransformation = optim.chain(optim.clipByGlobalNorm(1), optim.adam({ learningRate: 1e-3 }));
 * let state = opt.init(params);
 * const [updates, next] = opt.update(grads, state, params);
 */
export interface GradientTransformation<S = OptState> {
  // Method syntax on purpose: it lets a transformation with a specific state type be
  // used where a `GradientTransformation<OptState>` is expected.
  /** Builds the initial state for `params`. */
  init<T>(params: T): S;
  /** Transforms `updates` (gradients on the way in), given the state and optionally the parameters. */
  update<T>(updates: T, state: S, params?: T): [T, S];
}

/** The state type of a transformation. @example type S = StateOf<ReturnType<typeof optim.adam>>; */
export type StateOf<G> = G extends GradientTransformation<infer S> ? S : never;
