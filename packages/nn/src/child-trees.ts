import type { Layer, Params } from './layer';

/**
 * Types of a combinator's parameter and state trees, computed from its children, so that
 * `sequential(conv2d(...), relu, dense(...)).init(...).params.conv2d_0.kernel` type-checks
 * and a misspelt key does not. They mirror `nameChildren` and `putChild`: a `named` child
 * keeps its name, any other is `<kind>_<position>`, and children without parameters (or
 * state) are left out. A layer whose kind is not a literal type (a plain `string`) gets
 * the key pattern `${string}_<position>`.
 */

/** A combinator's parameter or state tree when its children are not known statically. */
export type ChildTrees = Record<string, Params>;

type Empty = Record<string, never>;
type IsAny<T> = 0 extends 1 & T ? true : false;

/** Whether a tree type certainly holds no leaves (such children leave no key). */
type IsEmpty<T> = IsAny<T> extends true ? false : [T] extends [Empty] ? true : false;

/**
 * The parameter (`'params'`) or state (`'state'`) tree type of a child; a plain function is
 * wrapped with `fn` and has neither.
 */
type TreeOf<L, W extends 'params' | 'state'> =
  // biome-ignore lint/suspicious/noExplicitAny: matching any layer's other type parameters.
  L extends Layer<infer P, infer S, any, any> ? (W extends 'params' ? P : S) : Empty;

/** The parameter tree type of a layer (or `{}` for a plain function). */
export type ParamsOf<L> = TreeOf<L, 'params'>;
/** The state tree type of a layer (or `{}` for a plain function). */
export type StateOf<L> = TreeOf<L, 'state'>;

/** The key of child `L` at position `I`. */
type ChildKey<L, I extends number> = L extends {
  readonly explicitName: true;
  readonly name: infer N extends string;
}
  ? N
  : L extends { readonly name?: infer N }
    ? `${N extends string ? N : 'layer'}_${I}`
    : `layer_${I}`;

type Entry<L, I extends number, W extends 'params' | 'state'> =
  IsEmpty<TreeOf<L, W>> extends true ? unknown : { [K in ChildKey<L, I>]: TreeOf<L, W> };

type Collect<
  Ls extends readonly unknown[],
  W extends 'params' | 'state',
  Seen extends unknown[] = [],
  Out = unknown,
> = Ls extends readonly [infer H, ...infer T]
  ? Collect<T, W, [...Seen, H], Out & Entry<H, Seen['length'], W>>
  : Out;

type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * The parameter (`W = 'params'`) or state (`W = 'state'`) tree of a combinator over the
 * children `Ls`; `ChildTrees` when `Ls` is not a tuple (a spread array of layers).
 * @example type P = nn.ChildTreesOf<[nn.Layer<nn.DenseParams, {}, object, 'dense'>], 'params'>; // { dense_0: DenseParams }
 */
export type ChildTreesOf<
  Ls extends readonly unknown[],
  W extends 'params' | 'state',
> = number extends Ls['length'] ? ChildTrees : Flatten<Collect<Ls, W>>;
