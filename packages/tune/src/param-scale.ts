import type { Rng } from './rng';
import type { ChoiceParam, FloatParam, IntParam, Primitive } from './space';

/** A numeric parameter. */
export type NumericParam = FloatParam | IntParam;

/**
 * The interval samplers work in: the log of the range for log-scale parameters, and for
 * integers the bins `[k - ½, k + ½]` around every allowed `k`, so each integer owns an
 * equal share of a uniform draw.
 */
export function internalBounds(p: NumericParam): readonly [number, number] {
  const [lo, hi] = p.kind === 'int' ? [p.lo - 0.5, p.hi + 0.5] : [p.lo, p.hi];
  return p.log ? [Math.log(lo), Math.log(hi)] : [lo, hi];
}

/** A parameter value on the samplers' scale. */
export const toInternal = (p: NumericParam, v: number): number => (p.log ? Math.log(v) : v);

/** A point of the samplers' scale back to a value of the parameter (rounded for integers). */
export function fromInternal(p: NumericParam, x: number): number {
  const v = p.log ? Math.exp(x) : x;
  const r = p.kind === 'int' ? Math.round(v) : v;
  return Math.min(p.hi, Math.max(p.lo, r));
}

/** A uniform draw from a parameter (uniform on its internal scale). */
export function sampleUniform(p: NumericParam | ChoiceParam, rng: Rng): Primitive {
  if (p.kind === 'choice') return p.values[Math.floor(rng.next() * p.values.length)]!;
  const [lo, hi] = internalBounds(p);
  return fromInternal(p, lo + rng.next() * (hi - lo));
}

/** The index of `v` among a choice's values, or -1. */
export const choiceIndex = (p: ChoiceParam, v: unknown): number =>
  (p.values as readonly unknown[]).indexOf(v);
