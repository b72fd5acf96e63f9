import type { TypedArray } from '../core/dtype';
import { erf } from '../core/erf';
import type { BinaryPrimitive, UnaryPrimitive } from '../core/primitives';

type Loop1 = (x: TypedArray, o: TypedArray) => void;
type Loop2 = (a: TypedArray, b: TypedArray, o: TypedArray) => void;

// One loop per op (not a shared loop over a callback) so each stays monomorphic in V8.
export const unaryLoops: Record<UnaryPrimitive, Loop1> = {
  neg: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = -x[i]!;
  },
  exp: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]!);
  },
  log: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]!);
  },
  expm1: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.expm1(x[i]!);
  },
  log1p: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.log1p(x[i]!);
  },
  sin: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sin(x[i]!);
  },
  cos: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.cos(x[i]!);
  },
  tan: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.tan(x[i]!);
  },
  tanh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]!);
  },
  logistic: (x, o) => {
    // Split by sign so exp never overflows.
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        o[i] = e / (1 + e);
      }
    }
  },
  erf: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = erf(x[i]!);
  },
  sqrt: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i]!);
  },
  rsqrt: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = 1 / Math.sqrt(x[i]!);
  },
  abs: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]!);
  },
  sign: (x, o) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      o[i] = v > 0 ? 1 : v < 0 ? -1 : v;
    }
  },
  floor: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.floor(x[i]!);
  },
  ceil: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.ceil(x[i]!);
  },
  round: (x, o) => {
    // Round half to even, as NumPy and JAX do.
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const r = Math.round(v);
      o[i] = Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
  },
  not: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] ? 0 : 1;
  },
  is_finite: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Number.isFinite(x[i]!) ? 1 : 0;
  },
};

export const binaryLoops: Record<BinaryPrimitive, Loop2> = {
  add: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! + b[i]!;
  },
  sub: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! - b[i]!;
  },
  mul: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! * b[i]!;
  },
  div: (a, b, o) => {
    if (o instanceof Int32Array) {
      // Integer division truncates toward zero (lax.div); division by zero gives 0.
      for (let i = 0; i < o.length; i++) {
        const d = b[i]!;
        o[i] = d === 0 ? 0 : Math.trunc(a[i]! / d);
      }
    } else for (let i = 0; i < o.length; i++) o[i] = a[i]! / b[i]!;
  },
  pow: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! ** b[i]!;
  },
  max: (a, b, o) => {
    for (let i = 0; i < o.length; i++) {
      const x = a[i]!,
        y = b[i]!;
      o[i] = x > y || Number.isNaN(x) ? x : y;
    }
  },
  min: (a, b, o) => {
    for (let i = 0; i < o.length; i++) {
      const x = a[i]!,
        y = b[i]!;
      o[i] = x < y || Number.isNaN(x) ? x : y;
    }
  },
  eq: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i] === b[i] ? 1 : 0;
  },
  ne: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i] !== b[i] ? 1 : 0;
  },
  lt: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! < b[i]! ? 1 : 0;
  },
  le: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! <= b[i]! ? 1 : 0;
  },
  gt: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! > b[i]! ? 1 : 0;
  },
  ge: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! >= b[i]! ? 1 : 0;
  },
  and: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! & b[i]!;
  },
  or: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! | b[i]!;
  },
};
