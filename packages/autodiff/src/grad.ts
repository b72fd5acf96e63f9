import * as jt from '@jute/tensor';
import { flattenArrays } from './flat';
import { jvp } from './jvp-api';
import { linearizeFlat, vjp } from './linearize';
import { backwardPass } from './transpose';
import { vmap } from './vmap';

/** Which positional arguments to differentiate: one index, or a list of them. */
export type Argnums = number | readonly number[];

export interface GradOptions<N extends Argnums = Argnums, H extends boolean = boolean> {
  /** Which positional arguments to differentiate (default 0). A list gives a tuple of gradients. */
  argnums?: N;
  /** `f` returns `[loss, aux]`; aux is passed through undifferentiated. */
  hasAux?: H;
}

/**
 * The type of the gradient with respect to an argument of type `T`: the same pytree (an
 * object of arrays gives the same object type, a tuple a tuple), with an array for every
 * array, number or boolean; an array-like argument (`jt.ArrayLike`) gives an array.
 */
export type GradOf<T> = jt.PyTree extends T
  ? T // a tree typed only as a pytree (or unknown): nothing more to say
  : [T] extends [jt.ArrayLike]
    ? jt.Array | number extends T
      ? jt.Array
      : GradLeaves<T>
    : GradLeaves<T>;

type GradLeaves<T> = T extends jt.Array | number | boolean | jt.TypedArray
  ? jt.Array
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: GradOf<T[K]> }
    : T;

/** `A[I]`, or any argument's type when `I` is not a known position (a negative index). */
type ArgAt<A extends readonly unknown[], I> = I extends keyof A ? A[I] : A[number];

/**
 * What `grad(f, { argnums: N })` returns for arguments `A`: the gradient of argument `N`,
 * or a tuple of gradients for a list of argnums.
 * @example type G = GradsOf<[Params, jt.Array], 0>; // Params
 */
export type GradsOf<A extends readonly unknown[], N> = N extends number
  ? number extends N
    ? GradOf<A[number]>
    : GradOf<ArgAt<A, N>>
  : N extends readonly number[]
    ? { -readonly [I in keyof N]: GradOf<ArgAt<A, N[I]>> }
    : never;

/** The aux value of a function that returns `[value, aux]`. */
export type AuxOf<R> = R extends readonly [unknown, infer X] ? X : unknown;

function resolveArgnums(op: string, argnums: number | readonly number[], nargs: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs) {
      throw new jt.TraceError(
        `${op}: argnums ${a} is out of range for a function called with ${nargs} argument(s)`,
      );
    }
  }
  return list.map((a) => (a < 0 ? a + nargs : a));
}

/**
 * `f`'s value and its gradient with respect to `argnums`.
 * @example
 * const [loss, grads] = valueAndGrad(lossFn)(params, batch);
 * const [[loss2, aux], g] = valueAndGrad(f, { hasAux: true })(params);
 */
export function valueAndGrad<A extends unknown[], R, const N extends Argnums = 0>(
  f: (...args: A) => R,
  options: GradOptions<N> = {},
): (...args: A) => [R, GradsOf<A, N>] {
  return (...args: A): [R, GradsOf<A, N>] => {
    const argnums = resolveArgnums('grad', options.argnums ?? 0, args.length);
    let aux: unknown;
    const g = (...diff: unknown[]) => {
      const full = [...args] as unknown[];
      argnums.forEach((a, i) => {
        full[a] = diff[i];
      });
      const out = f(...(full as A));
      let value: unknown = out;
      if (options.hasAux) {
        if (!Array.isArray(out) || out.length !== 2) {
          const got = Array.isArray(out)
            ? `a list of ${out.length}`
            : out instanceof jt.Array
              ? `an array ${jt.fmtShape(out.shape)}`
              : typeof out;
          throw new jt.TraceError(`grad: with hasAux, f must return [value, aux], got ${got}`);
        }
        [value, aux] = out;
      }
      // asArray would turn a list or object into a meaningless scalar (and a zero gradient).
      if (!(value instanceof jt.Array) && typeof value !== 'number') {
        const got = Array.isArray(value) ? `a list of ${value.length}` : typeof value;
        throw new jt.TraceError(
          `grad: f must return a float scalar, got ${got}${options.hasAux ? '' : ' (use hasAux: true to return [value, aux])'}`,
        );
      }
      const v = jt.asArray(value);
      if (v.ndim !== 0 || !jt.isFloat(v.dtype)) {
        throw new jt.TraceError(
          `grad: f must return a float scalar, got ${v.dtype}[${v.shape.join(',')}] (use vjp or jacrev for other outputs)`,
        );
      }
      return v;
    };
    // Checked here (not only in vjp) so the message names grad and the argument.
    for (const a of argnums) {
      for (const [path, leaf] of jt.tree.flattenWithPath<jt.Array | number | boolean>(args[a])) {
        const dtype = jt.asArray(leaf).dtype;
        if (!jt.isFloat(dtype)) {
          throw new jt.DTypeError(
            `grad: argument ${a}${path ? ` at '${path}'` : ''} has dtype ${dtype}; only float32/float64 inputs can be differentiated (leave it out of argnums)`,
          );
        }
      }
    }
    // Aux leaves ride along as extra outputs with zero cotangents, so they come back as
    // concrete values instead of tracers of the finished transform.
    const [flatIn, inDef] = flattenArrays(argnums.map((a) => args[a]));
    let auxDef: jt.TreeDef | undefined;
    const flatG = (xs: jt.Array[]): jt.Array[] => {
      const v = g(...jt.tree.unflatten<unknown[]>(inDef, xs));
      const [auxLeaves, def] = flattenArrays(aux ?? null);
      auxDef = def;
      return [v, ...auxLeaves];
    };
    const { primalsOut, jaxpr, consts } = linearizeFlat(flatG, flatIn);
    const value = primalsOut[0]!;
    const cts = backwardPass(jaxpr, consts, [
      jt.onesLike(value),
      ...primalsOut.slice(1).map(() => null),
    ]);
    const grads = jt.tree.unflatten<unknown[]>(
      inDef,
      cts.map((c, i) => jt.cast(c ?? jt.zerosLike(flatIn[i]!), flatIn[i]!.dtype)),
    );
    const out = typeof (options.argnums ?? 0) === 'number' ? grads[0] : grads;
    const auxOut = options.hasAux ? jt.tree.unflatten(auxDef!, primalsOut.slice(1)) : undefined;
    return [(options.hasAux ? [value, auxOut] : value) as R, out as GradsOf<A, N>];
  };
}

/**
 * The gradient of a scalar function with respect to `argnums` (default the first
 * argument), as a pytree of the argument's structure.
 * @example
 * grad((x) => jt.sum(jt.square(x)))(jt.array([1, 2])); // [2, 4]
 * grad(loss, { argnums: 0 })(params, batch);
 */
export function grad<A extends unknown[], R, const N extends Argnums = 0>(
  f: (...args: A) => R,
  options: GradOptions<N, true> & { hasAux: true },
): (...args: A) => [GradsOf<A, N>, AuxOf<R>];
export function grad<A extends unknown[], R, const N extends Argnums = 0>(
  f: (...args: A) => R,
  options?: GradOptions<N>,
): (...args: A) => GradsOf<A, N>;
export function grad<A extends unknown[], R>(
  f: (...args: A) => R,
  options: GradOptions = {},
): (...args: A) => unknown {
  const vg = valueAndGrad(f, options);
  return (...args: A): unknown => {
    const [value, g] = vg(...args);
    return options.hasAux ? [g, (value as unknown as [unknown, unknown])[1]] : g;
  };
}

/**
 * Jacobian by forward mode (one JVP per input element, batched with `vmap`): output
 * shape `out.shape + in.shape` for a single array input.
 * @example jacfwd((x) => jt.sin(x))(jt.array([1, 2])) // diag(cos)
 */
export function jacfwd(f: (x: jt.Array) => jt.Array) {
  return (x: jt.Array): jt.Array => {
    const n = x.size;
    const basis = jt.reshape(jt.eye(n, n, { dtype: x.dtype }), [n, ...x.shape]);
    const cols = vmap((v: jt.Array) => jvp(f, [x], [v])[1])(basis);
    const out = f(x);
    return jt
      .moveAxis(jt.reshape(cols, [n, ...out.shape]), 0, -1)
      .reshape([...out.shape, ...x.shape]);
  };
}

/**
 * Jacobian by reverse mode (one VJP per output element, batched with `vmap`).
 * @example jacrev((x) => jt.mul(x, x))(jt.array([1, 2]))
 */
export function jacrev(f: (x: jt.Array) => jt.Array) {
  return (x: jt.Array): jt.Array => {
    const [out, back] = vjp(f, x);
    const m = out.size;
    const basis = jt.reshape(jt.eye(m, m, { dtype: out.dtype }), [m, ...out.shape]);
    const rows = vmap((c: jt.Array) => back(c)[0] as jt.Array)(basis);
    return jt.reshape(rows, [...out.shape, ...x.shape]);
  };
}

/**
 * The Hessian of a scalar function (forward over reverse).
 * @example hessian((x) => jt.sum(jt.pow(x, 3)))(jt.array([1, 2])) // diag(6x)
 */
export function hessian(f: (x: jt.Array) => jt.Array) {
  return jacfwd((x: jt.Array) => grad(f)(x) as jt.Array);
}
