import { normalLogPdf, normalMass, truncatedStandardNormal } from './normal';
import type { Rng } from './rng';

/**
 * A one-dimensional Parzen estimator on `[lo, hi]`: a mixture of normals truncated to the
 * interval, one at each observation plus a wide "prior" one at the centre, so that regions
 * nobody tried keep some density.
 */
export interface Parzen {
  readonly mus: readonly number[];
  readonly sigmas: readonly number[];
  /** Mixture weights, summing to 1. */
  readonly weights: readonly number[];
  readonly lo: number;
  readonly hi: number;
}

/**
 * The estimator of Bergstra et al. (2011): each kernel's bandwidth is the larger distance to
 * its neighbours (interval ends included), so kernels are narrow where observations crowd
 * and wide where they are sparse; bandwidths are clipped to
 * `[(hi − lo) / min(100, n + 1), hi − lo]` so no kernel collapses or exceeds the range.
 */
export function parzen(
  observations: readonly number[],
  lo: number,
  hi: number,
  priorWeight: number,
): Parzen {
  const width = hi - lo;
  const prior = { mu: (lo + hi) / 2, isPrior: true };
  const points = [...observations.map((mu) => ({ mu, isPrior: false })), prior].sort(
    (a, b) => a.mu - b.mu,
  );
  const minSigma = width / Math.min(100, observations.length + 1);
  const mus: number[] = [];
  const sigmas: number[] = [];
  const weights: number[] = [];
  points.forEach((p, i) => {
    const left = p.mu - (i > 0 ? points[i - 1]!.mu : lo);
    const right = (i < points.length - 1 ? points[i + 1]!.mu : hi) - p.mu;
    const sigma = p.isPrior ? width : Math.min(width, Math.max(minSigma, left, right));
    mus.push(p.mu);
    sigmas.push(sigma);
    weights.push(p.isPrior ? priorWeight : 1);
  });
  const total = weights.reduce((s, w) => s + w, 0);
  return { mus, sigmas, weights: weights.map((w) => w / total), lo, hi };
}

/** Which mixture component a uniform draw picks. */
function pickComponent(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** A draw from the mixture (two uniforms: the component, then the point). */
export function sampleParzen(pz: Parzen, rng: Rng): number {
  const i = pickComponent(pz.weights, rng.next());
  const mu = pz.mus[i]!;
  const s = pz.sigmas[i]!;
  if (!(s > 0)) return Math.min(pz.hi, Math.max(pz.lo, mu));
  const z = truncatedStandardNormal((pz.lo - mu) / s, (pz.hi - mu) / s, rng.next());
  return Math.min(pz.hi, Math.max(pz.lo, mu + s * z));
}

const logSumExp = (xs: readonly number[]): number => {
  const m = Math.max(...xs);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

const TINY = 1e-300;

/** The log density of the mixture at `x` (each kernel renormalised to the interval). */
export function parzenLogPdf(pz: Parzen, x: number): number {
  return logSumExp(
    pz.mus.map((mu, i) => {
      const s = pz.sigmas[i]!;
      const z = Math.max(normalMass((pz.lo - mu) / s, (pz.hi - mu) / s), TINY);
      return Math.log(pz.weights[i]!) + normalLogPdf((x - mu) / s) - Math.log(s) - Math.log(z);
    }),
  );
}

/** The log probability that a draw from the mixture falls in `[a, b]` (an integer's bin). */
export function parzenLogMass(pz: Parzen, a: number, b: number): number {
  return logSumExp(
    pz.mus.map((mu, i) => {
      const s = pz.sigmas[i]!;
      const z = Math.max(normalMass((pz.lo - mu) / s, (pz.hi - mu) / s), TINY);
      const m = Math.max(normalMass((a - mu) / s, (b - mu) / s), TINY);
      return Math.log(pz.weights[i]!) + Math.log(m) - Math.log(z);
    }),
  );
}
