/** A value a categorical parameter can take (and that survives a JSON round trip). */
export type Primitive = string | number | boolean;

/** When a parameter exists: only if `parent` (a `choice`) took one of `values`. */
export interface Condition {
  readonly parent: string;
  readonly values: readonly Primitive[];
}

/** A real parameter drawn from `[lo, hi]`, on a log scale when `log`. */
export interface FloatParam {
  readonly kind: 'float';
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
  readonly condition?: Condition;
}

/** An integer parameter in `[lo, hi]` (both included), on a log scale when `log`. */
export interface IntParam {
  readonly kind: 'int';
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
  readonly condition?: Condition;
}

/** A categorical parameter: one of `values`, with no order between them. */
export interface ChoiceParam<T extends Primitive = Primitive> {
  readonly kind: 'choice';
  readonly values: readonly T[];
  readonly condition?: Condition;
}

/** One dimension of a search space. */
export type Param = FloatParam | IntParam | ChoiceParam;

/**
 * A search space: a plain object from parameter names to parameters.
 * @example
 * const space = {
 *   lr: tune.logUniform(1e-4, 1e-1),
 *   optimizer: tune.choice(['sgd', 'adam']),
 *   momentum: tune.when('optimizer', ['sgd'], tune.uniform(0, 0.99)),
 * };
 */
export type Space = { readonly [name: string]: Param };

type ValueOf<P> = P extends ChoiceParam<infer T> ? T : number;

/**
 * The configuration a trial receives for a space: a number per numeric parameter, the
 * chosen value per `choice`, and `undefined` for a conditional parameter whose condition
 * does not hold.
 * @example type C = ConfigOf<{ lr: FloatParam }>; // { readonly lr: number }
 */
export type ConfigOf<S extends Space> = {
  readonly [K in keyof S]: S[K] extends { readonly condition: Condition }
    ? ValueOf<S[K]> | undefined
    : ValueOf<S[K]>;
};

/**
 * A real parameter, uniform on `[lo, hi]`.
 * @example tune.uniform(0, 0.5) // a dropout rate
 */
export const uniform = (lo: number, hi: number): FloatParam => ({
  kind: 'float',
  lo,
  hi,
  log: false,
});

/**
 * A positive real parameter, uniform in `log` on `[lo, hi]`: as likely in `[1e-4, 1e-3]` as in
 * `[1e-3, 1e-2]`. The right scale for learning rates and regularization strengths.
 * @example tune.logUniform(1e-4, 1e-1) // a learning rate
 */
export const logUniform = (lo: number, hi: number): FloatParam => ({
  kind: 'float',
  lo,
  hi,
  log: true,
});

/**
 * An integer parameter in `[lo, hi]`, both ends included; `{ log: true }` spaces it
 * logarithmically (needs `lo ≥ 1`).
 * @example tune.int(32, 512, { log: true }) // a layer width
 */
export const int = (
  lo: number,
  hi: number,
  options: { readonly log?: boolean } = {},
): IntParam => ({
  kind: 'int',
  lo,
  hi,
  log: options.log ?? false,
});

/**
 * A categorical parameter: one of `values` (strings, numbers or booleans).
 * @example tune.choice(['relu', 'tanh', 'gelu'])
 */
export const choice = <const T extends Primitive>(values: readonly T[]): ChoiceParam<T> => ({
  kind: 'choice',
  values,
});

/**
 * A conditional parameter: it exists only in trials where the `choice` parameter `parent`
 * took one of `values`; elsewhere the trial's configuration holds `undefined` for it.
 * @example
 * const space = {
 *   optimizer: tune.choice(['sgd', 'adam']),
 *   momentum: tune.when('optimizer', ['sgd'], tune.uniform(0, 0.99)),
 * };
 */
export const when = <P extends Param>(
  parent: string,
  values: readonly Primitive[],
  param: P,
): P & { readonly condition: Condition } => ({ ...param, condition: { parent, values } });
