import type { Array, ReduceOptions } from '../core/array';
import { isFloat } from '../core/dtype';
import { ValueError } from '../core/errors';
import { normalizeAxes, normalizeAxis } from '../core/shape';
import { bind1 } from '../core/trace';
import { type ArrayLike, asArray, full } from './creation';
import {
  add,
  cast,
  div,
  exp,
  isFinite,
  log,
  logicalNot,
  mul,
  sqrt,
  square,
  stopGradient,
  sub,
  where,
} from './elementwise';
import { reverseOrder } from './order';
import { concatenate, moveAxis, ravel, reshape, slice } from './structural';

export type { ReduceOptions };

function keep(x: Array, axes: readonly number[], out: Array, keepdims: boolean | undefined): Array {
  return keepdims
    ? reshape(
        out,
        x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
      )
    : out;
}

/** Sum over axes; booleans count as int32. @example jt.sum(x, { axis: -1, keepdims: true }) */
export function sum(x: ArrayLike, options: ReduceOptions = {}): Array {
  let a = asArray(x);
  if (a.dtype === 'bool') a = cast(a, 'int32');
  const axes = normalizeAxes('sum', options.axis, a.ndim);
  return keep(a, axes, axes.length ? bind1('reduce_sum', [a], { axes }) : a, options.keepdims);
}

/** Arithmetic mean over axes (integers average as float32). @example jt.mean(x, { axis: 0 }) */
export function mean(x: ArrayLike, options: ReduceOptions = {}): Array {
  const a = asArray(x);
  const axes = normalizeAxes('mean', options.axis, a.ndim);
  const count = axes.reduce((n, ax) => n * a.shape[ax]!, 1);
  const s = sum(isFloat(a.dtype) ? a : cast(a, 'float32'), options);
  return div(s, count);
}

/** Maximum over axes. @example jt.max(x, { axis: 1 }) */
export function max(x: ArrayLike, options: ReduceOptions = {}): Array {
  const a = asArray(x);
  const axes = normalizeAxes('max', options.axis, a.ndim);
  if (axes.some((ax) => a.shape[ax] === 0))
    throw new ValueError('max: reduction over an empty axis has no identity');
  return keep(a, axes, axes.length ? bind1('reduce_max', [a], { axes }) : a, options.keepdims);
}

/** Minimum over axes. @example jt.min(x) */
export function min(x: ArrayLike, options: ReduceOptions = {}): Array {
  const a = asArray(x);
  if (a.dtype === 'bool') return logicalNot(max(logicalNot(a), options));
  return reverseOrder(max(reverseOrder(a), options));
}

/** True where any element is true. @example jt.any(mask, { axis: 0 }) */
export const any = (x: ArrayLike, options: ReduceOptions = {}): Array =>
  max(cast(x, 'bool'), options);
/** True where all elements are true. @example jt.all(mask) */
export const all = (x: ArrayLike, options: ReduceOptions = {}): Array =>
  min(cast(x, 'bool'), options);

/**
 * Product over axes, as a tree of elementwise products so that it is exact and
 * differentiable everywhere, zeros included.
 * @example jt.prod(x, { axis: 0 })
 */
export function prod(x: ArrayLike, options: ReduceOptions = {}): Array {
  let a = asArray(x);
  if (a.dtype === 'bool') a = cast(a, 'int32');
  const axes = normalizeAxes('prod', options.axis, a.ndim);
  const rest = a.shape.filter((_, i) => !axes.includes(i));
  let r = reshape(
    axes.reduce((acc, ax, k) => moveAxis(acc, ax, k), a as Array),
    [-1, ...rest],
  );
  if (r.shape[0] === 0) return keep(a, axes, full(rest, 1, { dtype: a.dtype }), options.keepdims);
  while (r.shape[0]! > 1) {
    const n = r.shape[0]!;
    const half = Math.floor(n / 2);
    const lo = slice(r, [0], [half]);
    const hi = slice(r, [half], [2 * half]);
    const paired = mul(lo, hi);
    r = n % 2 ? concatenate([paired, slice(r, [n - 1], [n])], 0) : paired;
  }
  return keep(a, axes, reshape(r, rest), options.keepdims);
}

/** Index of the maximum along `axis` (first on ties; flattened when omitted). @example jt.argmax(logits, { axis: -1 }) */
export function argmax(x: ArrayLike, options: { axis?: number; keepdims?: boolean } = {}): Array {
  let a = asArray(x);
  if (options.axis === undefined) a = ravel(a);
  const axis = normalizeAxis('argmax', options.axis ?? 0, a.ndim);
  if (a.dtype === 'bool') a = cast(a, 'int32');
  const out = bind1('argmax', [a], { axis });
  return keep(a, [axis], out, options.keepdims);
}

/** Index of the minimum along `axis`. @example jt.argmin(x, { axis: 0 }) */
export function argmin(x: ArrayLike, options: { axis?: number; keepdims?: boolean } = {}): Array {
  const a = asArray(x);
  return argmax(reverseOrder(a.dtype === 'bool' ? cast(a, 'int32') : a), options);
}

/**
 * `log(sum(exp(x)))`, computed stably by shifting with the (gradient-free) maximum.
 * @example jt.logsumexp(logits, { axis: -1 })
 */
export function logsumexp(x: ArrayLike, options: ReduceOptions = {}): Array {
  const a = asArray(x);
  const m = stopGradient(max(a, { ...options, keepdims: true }));
  const shift = where(isFinite(m), m, 0);
  const out = add(log(sum(exp(sub(a, shift)), { ...options, keepdims: true })), shift);
  const axes = normalizeAxes('logsumexp', options.axis, a.ndim);
  return options.keepdims
    ? out
    : reshape(
        out,
        a.shape.filter((_, i) => !axes.includes(i)),
      );
}

/** Variance over axes; `ddof` 1 gives the unbiased estimate. @example jt.var(x, { axis: 0 }) */
export function variance(x: ArrayLike, options: ReduceOptions & { ddof?: number } = {}): Array {
  const a = asArray(x);
  const axes = normalizeAxes('var', options.axis, a.ndim);
  const n = axes.reduce((acc, ax) => acc * a.shape[ax]!, 1);
  const centered = sub(a, mean(a, { axis: axes, keepdims: true }));
  const m = mean(square(centered), { axis: axes, keepdims: options.keepdims ?? false });
  const ddof = options.ddof ?? 0;
  return ddof === 0 ? m : mul(m, n / (n - ddof));
}

/** Standard deviation over axes. @example jt.std(x) */
export const std = (x: ArrayLike, options: ReduceOptions & { ddof?: number } = {}): Array =>
  sqrt(variance(x, options));

/** Cumulative sum along `axis` (flattened when omitted). @example jt.cumsum(x, { axis: 0 }) */
export function cumsum(x: ArrayLike, options: { axis?: number; reverse?: boolean } = {}): Array {
  let a = asArray(x);
  if (options.axis === undefined) a = ravel(a);
  if (a.dtype === 'bool') a = cast(a, 'int32');
  const axis = normalizeAxis('cumsum', options.axis ?? 0, a.ndim);
  return bind1('cumsum', [a], { axis, reverse: options.reverse ?? false });
}

/**
 * Softmax along `axis` (default last), shifted by the maximum for stability.
 * @example jt.softmax(logits)
 */
export function softmax(x: ArrayLike, options: { axis?: number } = {}): Array {
  const a = asArray(x);
  const axis = options.axis ?? -1;
  const e = exp(sub(a, stopGradient(max(a, { axis, keepdims: true }))));
  return div(e, sum(e, { axis, keepdims: true }));
}

/** `log(softmax(x))`, computed without forming the softmax. @example jt.logSoftmax(logits) */
export function logSoftmax(x: ArrayLike, options: { axis?: number } = {}): Array {
  const a = asArray(x);
  const axis = options.axis ?? -1;
  const shifted = sub(a, stopGradient(max(a, { axis, keepdims: true })));
  return sub(shifted, log(sum(exp(shifted), { axis, keepdims: true })));
}
