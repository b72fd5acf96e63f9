import * as jt from '@jute/tensor';

// Hyperparameters are checked once, where a transformation is built, so a typo
// fails at construction instead of as NaNs a thousand steps later.

export function checkFinite(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new jt.ValueError(`${op}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function checkNonNegative(op: string, name: string, value: unknown): number {
  const v = checkFinite(op, name, value);
  if (v < 0) throw new jt.ValueError(`${op}: ${name} must be >= 0, got ${v}`);
  return v;
}

export function checkPositive(op: string, name: string, value: unknown): number {
  const v = checkFinite(op, name, value);
  if (v <= 0) throw new jt.ValueError(`${op}: ${name} must be > 0, got ${v}`);
  return v;
}

/** A decay rate in [0, 1) (or [0, 1] with `closed`). */
export function checkUnit(op: string, name: string, value: unknown, closed = false): number {
  const v = checkFinite(op, name, value);
  if (v < 0 || (closed ? v > 1 : v >= 1)) {
    throw new jt.ValueError(`${op}: ${name} must be in [0, 1${closed ? ']' : ')'}, got ${v}`);
  }
  return v;
}

export function checkPositiveInt(op: string, name: string, value: unknown): number {
  const v = checkFinite(op, name, value);
  if (!Number.isInteger(v) || v < 1)
    throw new jt.ValueError(`${op}: ${name} must be a positive integer, got ${v}`);
  return v;
}

export function checkNonNegativeInt(op: string, name: string, value: unknown): number {
  const v = checkFinite(op, name, value);
  if (!Number.isInteger(v) || v < 0)
    throw new jt.ValueError(`${op}: ${name} must be a non-negative integer, got ${v}`);
  return v;
}
