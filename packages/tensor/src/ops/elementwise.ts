import type { Array } from '../core/array';
import { type DType, isFloat, promoteTypes } from '../core/dtype';
import { DTypeError, fmtShape, ShapeError } from '../core/errors';
import type { BinaryPrimitive, UnaryPrimitive } from '../core/primitives';
import { broadcastShapes, checkSize, type Shape, shapesEqual, sizeOf } from '../core/shape';
import { bind1 } from '../core/trace';
import { type ArrayLike, asArray, isWeak, type NestedArray, weakDType } from './creation';

const NONE = {} as Record<string, never>;

/**
 * Broadcasts `x` to `shape` (NumPy rules: align trailing axes, expand size-1 axes).
 * @example jt.broadcastTo(jt.array([1, 2]), [3, 2])
 */
export function broadcastTo(x: ArrayLike, shape: Shape): Array {
  const a = asArray(x, undefined, 'broadcastTo');
  if (shapesEqual(a.shape, shape)) return a;
  checkSize('broadcastTo', sizeOf(shape), shape);
  const offset = shape.length - a.ndim;
  const fits = offset >= 0 && a.shape.every((d, i) => d === 1 || d === shape[offset + i]);
  if (!fits)
    throw new ShapeError(
      `broadcastTo: cannot broadcast ${fmtShape(a.shape)} to ${fmtShape(shape)}`,
    );
  return bind1('broadcast_in_dim', [a], {
    shape: [...shape],
    dims: a.shape.map((_, i) => i + offset),
  });
}

/** Casts to `dtype` (float → int truncates toward zero; non-zero → true). @example jt.cast(x, 'int32') */
export function cast(x: ArrayLike, dtype: DType): Array {
  const a = asArray(x);
  return a.dtype === dtype ? a : bind1('cast', [a], { dtype });
}

/**
 * Promotes two operands to one dtype, JAX-style: JS numbers, booleans and nested lists
 * of them are weakly typed (they take the other operand's dtype unless a value needs
 * more); arrays, typed arrays and lists holding arrays are strongly typed.
 */
export function promote(a: ArrayLike, b: ArrayLike, op = 'promote'): [Array, Array] {
  const weakA = isWeak(a);
  const weakB = isWeak(b);
  if (weakA && weakB) {
    const dt: DType = allBool(a) && allBool(b) ? 'bool' : 'float32';
    return [asArray(a, dt, op), asArray(b, dt, op)];
  }
  if (weakA) {
    const y = asArray(b, undefined, op);
    const dt = weakDType(y.dtype, a);
    return [asArray(a, dt, op), cast(y, dt)];
  }
  if (weakB) {
    const x = asArray(a, undefined, op);
    const dt = weakDType(x.dtype, b);
    return [cast(x, dt), asArray(b, dt, op)];
  }
  const x = asArray(a, undefined, op);
  const y = asArray(b, undefined, op);
  const dt = promoteTypes(x.dtype, y.dtype);
  return [cast(x, dt), cast(y, dt)];
}

/** Whether a weak value holds only booleans (so two of them combine as bool). */
const allBool = (v: NestedArray): boolean =>
  globalThis.Array.isArray(v)
    ? (v as readonly NestedArray[]).every(allBool)
    : typeof v === 'boolean';

function binary(
  prim: BinaryPrimitive,
  name: string,
  a: ArrayLike,
  b: ArrayLike,
  arithmetic: boolean,
): Array {
  let [x, y] = promote(a, b, name);
  if (arithmetic && x.dtype === 'bool') [x, y] = [cast(x, 'int32'), cast(y, 'int32')];
  const shape = broadcastShapes(name, x.shape, y.shape);
  return bind1(prim, [broadcastTo(x, shape), broadcastTo(y, shape)], NONE);
}

function logical(prim: 'and' | 'or', name: string, a: ArrayLike, b: ArrayLike): Array {
  const x = cast(asArray(a, 'bool'), 'bool');
  const y = cast(asArray(b, 'bool'), 'bool');
  const shape = broadcastShapes(name, x.shape, y.shape);
  return bind1(prim, [broadcastTo(x, shape), broadcastTo(y, shape)], NONE);
}

/** Transcendental ops compute in floating point: integers and booleans become float32. */
const toFloat = (x: ArrayLike): Array => {
  const a = asArray(x);
  return isFloat(a.dtype) ? a : cast(a, 'float32');
};

const floatUnary =
  (prim: UnaryPrimitive) =>
  (x: ArrayLike): Array =>
    bind1(prim, [toFloat(x)], NONE);
const numericUnary =
  (prim: UnaryPrimitive, name: string) =>
  (x: ArrayLike): Array => {
    const a = asArray(x);
    if (a.dtype === 'bool') throw new DTypeError(`${name}: not defined for bool arrays`);
    return bind1(prim, [a], NONE);
  };

/** Elementwise sum with broadcasting. @example jt.add(x, 1) */
export const add = (a: ArrayLike, b: ArrayLike): Array => binary('add', 'add', a, b, true);
/** @example jt.sub(x, y) */
export const sub = (a: ArrayLike, b: ArrayLike): Array => binary('sub', 'sub', a, b, true);
/** @example jt.mul(x, 2) */
export const mul = (a: ArrayLike, b: ArrayLike): Array => binary('mul', 'mul', a, b, true);
/** True division: integer operands divide as float32. @example jt.div(x, 2) */
export const div = (a: ArrayLike, b: ArrayLike): Array => {
  const [x, y] = promote(a, b, 'div');
  return binary('div', 'div', toFloat(x), toFloat(y), true);
};
/** @example jt.pow(x, 2) */
export const pow = (a: ArrayLike, b: ArrayLike): Array => binary('pow', 'pow', a, b, true);
/** Elementwise maximum (NaN propagates). @example jt.maximum(x, 0) */
export const maximum = (a: ArrayLike, b: ArrayLike): Array => binary('max', 'maximum', a, b, false);
/** Elementwise minimum (NaN propagates). @example jt.minimum(x, 1) */
export const minimum = (a: ArrayLike, b: ArrayLike): Array => binary('min', 'minimum', a, b, false);
/** @example jt.equal(x, 0) */
export const equal = (a: ArrayLike, b: ArrayLike): Array => binary('eq', 'equal', a, b, false);
/** @example jt.notEqual(x, 0) */
export const notEqual = (a: ArrayLike, b: ArrayLike): Array =>
  binary('ne', 'notEqual', a, b, false);
/** @example jt.less(x, y) */
export const less = (a: ArrayLike, b: ArrayLike): Array => binary('lt', 'less', a, b, false);
/** @example jt.lessEqual(x, y) */
export const lessEqual = (a: ArrayLike, b: ArrayLike): Array =>
  binary('le', 'lessEqual', a, b, false);
/** @example jt.greater(x, 0) */
export const greater = (a: ArrayLike, b: ArrayLike): Array => binary('gt', 'greater', a, b, false);
/** @example jt.greaterEqual(x, 0) */
export const greaterEqual = (a: ArrayLike, b: ArrayLike): Array =>
  binary('ge', 'greaterEqual', a, b, false);
/** @example jt.logicalAnd(a, b) */
export const logicalAnd = (a: ArrayLike, b: ArrayLike): Array => logical('and', 'logicalAnd', a, b);
/** @example jt.logicalOr(a, b) */
export const logicalOr = (a: ArrayLike, b: ArrayLike): Array => logical('or', 'logicalOr', a, b);
/** @example jt.logicalNot(mask) */
export const logicalNot = (x: ArrayLike): Array =>
  bind1('not', [cast(asArray(x, 'bool'), 'bool')], NONE);

/** @example jt.neg(x) */
export const neg = /*#__PURE__*/ numericUnary('neg', 'neg');
/** @example jt.abs(x) */
export const abs = /*#__PURE__*/ numericUnary('abs', 'abs');
/** -1, 0 or 1 (NaN stays NaN). @example jt.sign(x) */
export const sign = /*#__PURE__*/ numericUnary('sign', 'sign');
/** @example jt.exp(x) */
export const exp = /*#__PURE__*/ floatUnary('exp');
/** @example jt.log(x) */
export const log = /*#__PURE__*/ floatUnary('log');
/** `exp(x) - 1`, accurate near 0. @example jt.expm1(x) */
export const expm1 = /*#__PURE__*/ floatUnary('expm1');
/** `log(1 + x)`, accurate near 0. @example jt.log1p(x) */
export const log1p = /*#__PURE__*/ floatUnary('log1p');
/** @example jt.sin(x) */
export const sin = /*#__PURE__*/ floatUnary('sin');
/** @example jt.cos(x) */
export const cos = /*#__PURE__*/ floatUnary('cos');
/** @example jt.tan(x) */
export const tan = /*#__PURE__*/ floatUnary('tan');
/** @example jt.tanh(x) */
export const tanh = /*#__PURE__*/ floatUnary('tanh');
/** The logistic function `1 / (1 + e^-x)`, stable for large |x|. @example jt.sigmoid(x) */
export const sigmoid = /*#__PURE__*/ floatUnary('logistic');
/** The error function. @example jt.erf(x) */
export const erf = /*#__PURE__*/ floatUnary('erf');
/** @example jt.sqrt(x) */
export const sqrt = /*#__PURE__*/ floatUnary('sqrt');
/** `1 / sqrt(x)`. @example jt.rsqrt(x) */
export const rsqrt = /*#__PURE__*/ floatUnary('rsqrt');
/** @example jt.floor(x) */
export const floor = /*#__PURE__*/ floatUnary('floor');
/** @example jt.ceil(x) */
export const ceil = /*#__PURE__*/ floatUnary('ceil');
/** Rounds half to even, like NumPy. @example jt.round(x) */
export const round = /*#__PURE__*/ floatUnary('round');
/** @example jt.square(x) */
export const square = (x: ArrayLike): Array => mul(x, x);
/** @example jt.isFinite(x) */
export const isFinite = (x: ArrayLike): Array => bind1('is_finite', [toFloat(x)], NONE);
/** @example jt.isNan(x) */
export const isNan = (x: ArrayLike): Array => notEqual(x, x);

/**
 * Picks from `x` where `cond` is true, else from `y` (broadcasting all three).
 * @example jt.where(jt.greater(x, 0), x, 0)
 */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  const c = cast(asArray(cond, 'bool'), 'bool');
  const [a, b] = promote(x, y, 'where');
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, a.shape), b.shape);
  return bind1(
    'select',
    [broadcastTo(c, shape), broadcastTo(a, shape), broadcastTo(b, shape)],
    NONE,
  );
}

/** Clips to `[lo, hi]`. @example jt.clip(x, 0, 1) */
export const clip = (x: ArrayLike, lo: ArrayLike, hi: ArrayLike): Array =>
  minimum(maximum(x, lo), hi);

/** The identity whose gradient is zero: treats `x` as a constant. @example jt.stopGradient(x) */
export const stopGradient = (x: ArrayLike): Array => bind1('stop_gradient', [asArray(x)], NONE);

/**
 * `max(x, 0)`; NaN stays NaN and the derivative at 0 is 0, as `jax.nn.relu`.
 * @example jt.relu(x)
 */
export const relu = (x: ArrayLike): Array => {
  const a = asArray(x);
  // A select, not max(x, 0), so the gradient at 0 is 0 (as in JAX) rather than 1/2; on
  // `x <= 0`, which is false for NaN, so NaN passes through instead of becoming 0 and
  // hiding a divergence (as `where(x > 0, x, 0)` did).
  return where(lessEqual(a, 0), 0, a);
};

/** `log(1 + e^x)`, computed stably. @example jt.softplus(x) */
export const softplus = (x: ArrayLike): Array =>
  // maximum (not relu) so the derivative at 0 is 1/2 = sigmoid(0): max splits ties evenly.
  add(maximum(x, 0), log1p(exp(neg(abs(x)))));
