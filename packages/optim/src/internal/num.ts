import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';

/**
 * A scalar that is a JS number when the step is concrete and an array when it is
 * traced. Schedules and bias corrections are written once against these helpers:
 * concrete steps stay in cheap JS arithmetic, traced ones stay differentiable and
 * batchable.
 */
export type Num = number | jt.Array;
export type Bool = boolean | jt.Array;

const both = (a: Num, b: Num): [number, number] | undefined =>
  typeof a === 'number' && typeof b === 'number' ? [a, b] : undefined;

export const add = (a: Num, b: Num): Num => {
  const n = both(a, b);
  return n ? n[0] + n[1] : jt.add(a, b);
};
export const sub = (a: Num, b: Num): Num => {
  const n = both(a, b);
  return n ? n[0] - n[1] : jt.sub(a, b);
};
export const mul = (a: Num, b: Num): Num => {
  const n = both(a, b);
  return n ? n[0] * n[1] : jt.mul(a, b);
};
export const div = (a: Num, b: Num): Num => {
  const n = both(a, b);
  return n ? n[0] / n[1] : jt.div(a, b);
};
export const pow = (a: Num, b: Num): Num => {
  const n = both(a, b);
  return n ? n[0] ** n[1] : jt.pow(a, b);
};
export const maximum = (a: Num, b: Num): Num => {
  const n = both(a, b);
  return n ? Math.max(n[0], n[1]) : jt.maximum(a, b);
};
export const minimum = (a: Num, b: Num): Num => {
  const n = both(a, b);
  return n ? Math.min(n[0], n[1]) : jt.minimum(a, b);
};
export const clip = (x: Num, lo: Num, hi: Num): Num => minimum(maximum(x, lo), hi);
export const cos = (x: Num): Num => (typeof x === 'number' ? Math.cos(x) : jt.cos(x));
export const sqrt = (x: Num): Num => (typeof x === 'number' ? Math.sqrt(x) : jt.sqrt(x));
export const floor = (x: Num): Num => (typeof x === 'number' ? Math.floor(x) : jt.floor(x));

export const less = (a: Num, b: Num): Bool => {
  const n = both(a, b);
  return n ? n[0] < n[1] : jt.less(a, b);
};
export const lessEqual = (a: Num, b: Num): Bool => {
  const n = both(a, b);
  return n ? n[0] <= n[1] : jt.lessEqual(a, b);
};
export const or = (a: Bool, b: Bool): Bool =>
  typeof a === 'boolean' && typeof b === 'boolean' ? a || b : jt.logicalOr(a, b);
export const and = (a: Bool, b: Bool): Bool =>
  typeof a === 'boolean' && typeof b === 'boolean' ? a && b : jt.logicalAnd(a, b);
export const not = (a: Bool): Bool => (typeof a === 'boolean' ? !a : jt.logicalNot(a));

export const where = (c: Bool, a: Num, b: Num): Num =>
  typeof c === 'boolean' ? (c ? a : b) : jt.where(c, a, b);

/** A scalar array's value as a JS number, or the array itself while it is traced. */
export function scalarOf(x: jt.Array): Num {
  return x instanceof jc.Tracer ? x : Number(x.item());
}

/** A scalar bool array as a JS boolean, or the array itself while it is traced. */
export function boolOf(x: jt.Array): Bool {
  return x instanceof jc.Tracer ? x : Boolean(x.item());
}
