import * as jt from '@jute/tensor';
import { flattenArrays, flattenFun } from './flat';
import { jvp } from './jvp-api';
import { vjp } from './linearize';

export interface CheckGradsOptions {
  /** Derivative order to check (2 also checks derivatives of the JVP/VJP). Default 1. */
  order?: number;
  /** `'fwd'` checks JVPs against finite differences, `'rev'` VJPs against JVPs. Default both. */
  modes?: readonly ('fwd' | 'rev')[];
  /** Finite-difference step. Default 1e-4 (float64). */
  eps?: number;
  /** Allowed error, relative to the magnitude of the compared values (plus the same absolute). Default 1e-5. */
  tolerance?: number;
  /** Seed for the random directions. */
  seed?: number;
}

type Flat = (args: jt.Array[]) => jt.Array[];

const toF64 = (x: jt.Array) => (jt.isFloat(x.dtype) ? jt.cast(x, 'float64') : x);
const dotAll = (a: readonly jt.Array[], b: readonly jt.Array[]) =>
  a.reduce((s, x, i) => s + Number(jt.sum(jt.mul(x, b[i]!)).item()), 0);
const normAll = (a: readonly jt.Array[]) => Math.sqrt(dotAll(a, a));

function close(what: string, got: number, want: number, scale: number, tol: number): void {
  if (!(Math.abs(got - want) <= tol * (1 + Math.max(Math.abs(want), scale)))) {
    throw new jt.JuteError(
      `checkGrads: ${what}: got ${got}, expected ${want} (difference ${Math.abs(got - want)}, tolerance ${tol})`,
    );
  }
}

function randomLike(xs: readonly jt.Array[], key: jt.Array): jt.Array[] {
  const keys = jt.random.split(key, Math.max(1, xs.length));
  return xs.map((x, i) => jt.random.normal(keys[i]!, x.shape, { dtype: 'float64' }));
}

function checkFlat(
  f: Flat,
  args: jt.Array[],
  order: number,
  o: Required<CheckGradsOptions>,
  key: jt.Array,
): void {
  const [k1, k2, k3] = jt.random.split(key, 3);
  const v = randomLike(args, k1!);
  const out = f(args);
  const u = randomLike(out, k2!);
  const [, tangentOut] = jvp((...xs: jt.Array[]) => f(xs), args, v);
  const tOut = tangentOut as unknown as jt.Array[];
  if (o.modes.includes('fwd')) {
    const plus = f(args.map((x, i) => jt.add(x, jt.mul(v[i]!, o.eps))));
    const minus = f(args.map((x, i) => jt.sub(x, jt.mul(v[i]!, o.eps))));
    const fd = plus.map((p, i) => jt.div(jt.sub(p, minus[i]!), 2 * o.eps));
    const diff = normAll(fd.map((d, i) => jt.sub(d, tOut[i]!)));
    close(
      'JVP vs central finite differences (norm of difference)',
      diff,
      0,
      normAll(fd),
      o.tolerance,
    );
  }
  if (o.modes.includes('rev')) {
    const [, back] = vjp((...xs: jt.Array[]) => f(xs), ...args);
    const ct = back(u as never) as jt.Array[];
    close('VJP vs JVP, <u, J v> = <Jᵀ u, v>', dotAll(ct, v), dotAll(u, tOut), 0, o.tolerance);
  }
  if (order > 1) {
    if (o.modes.includes('fwd'))
      checkFlat(
        (xs) => jvp((...a: jt.Array[]) => f(a), xs, v)[1] as unknown as jt.Array[],
        args,
        order - 1,
        o,
        k3!,
      );
    if (o.modes.includes('rev'))
      checkFlat(
        (xs) => vjp((...a: jt.Array[]) => f(a), ...xs)[1](u as never) as jt.Array[],
        args,
        order - 1,
        o,
        k3!,
      );
  }
}

/**
 * Checks `f`'s derivatives at `args` in float64: JVPs against central finite differences
 * along random directions, and VJPs against JVPs by the identity `<u, J v> = <Jᵀ u, v>`.
 * Throws a `JuteError` describing the first mismatch.
 * @example checkGrads((x) => jt.sum(jt.tanh(x)), [jt.array([0.1, 0.2])], { order: 2 });
 */
export function checkGrads(
  f: (...args: any[]) => unknown,
  args: readonly unknown[],
  options: CheckGradsOptions = {},
): void {
  const o: Required<CheckGradsOptions> = {
    order: options.order ?? 1,
    modes: options.modes ?? ['fwd', 'rev'],
    eps: options.eps ?? 1e-4,
    tolerance: options.tolerance ?? 1e-5,
    seed: options.seed ?? 0,
  };
  const [flat, def] = flattenArrays(args);
  const [flatF] = flattenFun((...a: unknown[]) => f(...a), def);
  checkFlat((xs) => flatF(xs).map(toF64), flat.map(toF64), o.order, o, jt.random.key(o.seed));
}
