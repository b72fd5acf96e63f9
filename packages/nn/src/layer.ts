import * as jt from '@jute/tensor';

/** A parameter (or state) pytree: nested plain objects of arrays. Layers without any use `{}`. */
export type Params = jt.PyTree;

/** Options every layer's `apply` accepts. */
export interface ApplyOptions<S = Params> {
  /** The layer's state (batch-norm statistics) as returned by `init` or a previous `apply`. */
  state?: S;
  /** A PRNG key for stochastic layers (dropout); combinators derive one key per child. */
  key?: jt.Array;
  /** Training mode: dropout drops, batch norm uses batch statistics. Default `false`. */
  training?: boolean;
}

/** What `init` returns: fresh parameters, the initial state and the output shape. */
export interface InitResult<P = Params, S = Params> {
  params: P;
  state: S;
  /** The output shape for the given input shape (batch axis included). */
  outputShape: number[];
}

/** What `apply` returns: the output and the new state (the input state when nothing changed). */
export interface ApplyResult<S = Params> {
  y: jt.Array;
  state: S;
}

/**
 * A layer: a pure `init`/`apply` pair. `init` draws parameters from an explicit key for a
 * given input shape; `apply` maps parameters and an input to an output and a new state.
 * Nothing is mutated and nothing is remembered between calls.
 * @example
 * const layer = nn.dense({ features: 3 });
 * const { params, state } = layer.init(jt.random.key(0), [8, 4]);
 * const { y } = layer.apply(params, jt.ones([8, 4]), { state }); // [8,3]
 */
export interface Layer<
  P = Params,
  S = Params,
  O extends object = object,
  N extends string = string,
> {
  /**
   * The kind of layer (`'dense'`, `'conv2d'` ...), used to name it inside combinators. A
   * literal type here types the combinator's parameter keys (`dense_0`).
   */
  readonly name?: N;
  /** Set by `named`: combinators use `name` as is, without an index suffix. */
  readonly explicitName?: boolean;
  init(key: jt.Array, inputShape: jt.Shape): InitResult<P, S>;
  apply(params: P, x: jt.Array, options?: ApplyOptions<S> & O): ApplyResult<S>;
}

/** Any layer, whatever its parameter, state and option types. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous collection of layers needs an existential type.
export type AnyLayer = Layer<any, any, any>;

/** The empty parameter/state tree of layers that have none. */
export const EMPTY: Record<string, never> = Object.freeze({}) as Record<string, never>;

/** Whether a pytree holds no leaves (such subtrees are left out of combinators' trees). */
export const isEmptyTree = (tree: unknown): boolean => jt.tree.leaves(tree).length === 0;

/**
 * Gives a layer an explicit name, used as its key in `sequential`/`parallel` parameter
 * trees and in error paths instead of the default `<kind>_<index>`.
 * @example nn.sequential(nn.named('conv1', nn.conv2d({ features: 8, kernelSize: 3 })), nn.relu)
 */
export function named<const N extends string, L extends AnyLayer>(
  name: N,
  layer: L,
): Omit<L, 'name' | 'explicitName'> & { readonly name: N; readonly explicitName: true } {
  if (!/^[A-Za-z_][\w-]*$/.test(name)) {
    throw new jt.ValueError(
      `named: '${name}' is not a valid layer name (letters, digits, '_' and '-', not starting with a digit)`,
    );
  }
  return { ...layer, name, explicitName: true };
}
