import {
  choiceIndex,
  fromInternal,
  internalBounds,
  type NumericParam,
  sampleUniform,
  toInternal,
} from './param-scale';
import { type Parzen, parzen, parzenLogMass, parzenLogPdf, sampleParzen } from './parzen';
import { randomSampler } from './random-sampler';
import type { Rng } from './rng';
import type { Sampler } from './sampler';
import type { ChoiceParam, Primitive } from './space';
import { type Direction, type FrozenTrial, lossOf } from './trial';
import { isActive } from './validate-space';

/** Options of {@link tpeSampler}. */
export interface TpeOptions {
  /** Finished trials (complete or pruned) drawn at random before the model takes over (default 10). */
  readonly startupTrials?: number;
  /** Candidates drawn from l(x) per parameter; the best l/g ratio wins (default 24). */
  readonly candidates?: number;
  /** How many of `n` ranked trials count as good (default ⌈0.1·n⌉, at most 25). */
  readonly gamma?: (n: number) => number;
  /** Weight of the prior kernel (numbers) or prior pseudo-counts (choices) (default 1). */
  readonly priorWeight?: number;
}

const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/**
 * The trials the model learns from, best first: complete trials by value, then pruned ones
 * (a pruned trial was judged worse than those that went on), deeper ones first, then by
 * their last reported value. Failed and running trials carry no value.
 */
export function rankTrials(trials: readonly FrozenTrial[], direction: Direction): FrozenTrial[] {
  const loss = (v: number | undefined) =>
    v === undefined ? Number.POSITIVE_INFINITY : lossOf(direction, v);
  const complete = trials
    .filter((t) => t.state === 'complete')
    .sort((a, b) => loss(a.value) - loss(b.value) || a.number - b.number);
  const lastStep = (t: FrozenTrial) => t.reports.at(-1)?.[0] ?? Number.NEGATIVE_INFINITY;
  const pruned = trials
    .filter((t) => t.state === 'pruned')
    .sort(
      (a, b) => lastStep(b) - lastStep(a) || loss(a.value) - loss(b.value) || a.number - b.number,
    );
  return [...complete, ...pruned];
}

function sampleNumeric(
  p: NumericParam,
  good: readonly number[],
  bad: readonly number[],
  o: Required<TpeOptions>,
  rng: Rng,
): number {
  const [lo, hi] = internalBounds(p);
  if (!(hi > lo)) return fromInternal(p, lo);
  const l = parzen(
    good.map((v) => toInternal(p, v)),
    lo,
    hi,
    o.priorWeight,
  );
  const g = parzen(
    bad.map((v) => toInternal(p, v)),
    lo,
    hi,
    o.priorWeight,
  );
  // An integer is a bin [k − ½, k + ½] of the internal scale: compare probability masses.
  const score = (pz: Parzen, x: number): number => {
    if (p.kind !== 'int') return parzenLogPdf(pz, x);
    const k = fromInternal(p, x);
    return parzenLogMass(pz, toInternal(p, k - 0.5), toInternal(p, k + 0.5));
  };
  let best = Number.NaN;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < o.candidates; i++) {
    const x = sampleParzen(l, rng);
    const s = score(l, x) - score(g, x);
    if (s > bestScore || Number.isNaN(best)) [best, bestScore] = [x, s];
  }
  return fromInternal(p, best);
}

/** The index a uniform draw picks from probabilities summing to 1. */
function pickIndex(probabilities: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < probabilities.length - 1; i++) {
    acc += probabilities[i]!;
    if (u < acc) return i;
  }
  return probabilities.length - 1;
}

function sampleChoice(
  p: ChoiceParam,
  good: readonly Primitive[],
  bad: readonly Primitive[],
  o: Required<TpeOptions>,
  rng: Rng,
): Primitive {
  // Counts plus a prior pseudo-count spread evenly over the categories.
  const probabilities = (obs: readonly Primitive[]) => {
    const w = p.values.map(() => o.priorWeight / p.values.length);
    for (const v of obs) {
      const i = choiceIndex(p, v);
      if (i >= 0) w[i]! += 1;
    }
    const total = w.reduce((s, x) => s + x, 0);
    return w.map((x) => x / total);
  };
  const l = probabilities(good);
  const g = probabilities(bad);
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < o.candidates; c++) {
    const i = pickIndex(l, rng.next());
    const s = Math.log(l[i]!) - Math.log(g[i]!);
    if (s > bestScore) [best, bestScore] = [i, s];
  }
  return p.values[best]!;
}

/**
 * The tree-structured Parzen estimator (Bergstra et al., 2011), Optuna's default sampler.
 * After `startupTrials` random trials it ranks the finished trials, calls the best
 * `gamma(n)` good and the rest bad, and fits for every parameter two densities: l(x) over
 * the good trials' values and g(x) over the bad ones' (Parzen estimators with adaptive
 * bandwidths, on a log scale for log parameters, over integer bins for `int`, smoothed
 * counts for `choice`). It draws `candidates` values from l and keeps the one with the
 * largest l(x)/g(x), the point most likely to be good rather than bad. Parameters are
 * modelled independently; a conditional parameter learns only from the trials where it
 * existed. Running trials are ignored, so with `concurrency` several trials may start from
 * the same model.
 * @example tune.createStudy({ space, key: jt.random.key(0), sampler: tune.tpeSampler({ startupTrials: 8 }) })
 */
export function tpeSampler(options: TpeOptions = {}): Sampler {
  const o: Required<TpeOptions> = {
    startupTrials: options.startupTrials ?? 10,
    candidates: Math.max(1, options.candidates ?? 24),
    gamma: options.gamma ?? defaultGamma,
    priorWeight: options.priorWeight ?? 1,
  };
  const random = randomSampler();
  return {
    name: 'tpe',
    sample: (ctx) => {
      const ranked = rankTrials(ctx.trials, ctx.direction);
      // Pruned trials count: under ASHA most trials are pruned, and they still tell good
      // regions from bad ones.
      if (ranked.length < Math.max(2, o.startupTrials)) return random.sample(ctx);
      const nGood = Math.min(ranked.length - 1, Math.max(1, Math.floor(o.gamma(ranked.length))));
      const good = ranked.slice(0, nGood);
      const bad = ranked.slice(nGood);
      const config: Record<string, Primitive> = {};
      for (const name of ctx.space.order) {
        const p = ctx.space.params[name]!;
        if (!isActive(p, config)) continue;
        const values = (ts: readonly FrozenTrial[]) =>
          ts.map((t) => t.params[name]).filter((v): v is Primitive => v !== undefined);
        const [g, b] = [values(good), values(bad)];
        if (g.length === 0 && b.length === 0) {
          config[name] = sampleUniform(p, ctx.rng);
          continue;
        }
        config[name] =
          p.kind === 'choice'
            ? sampleChoice(p, g, b, o, ctx.rng)
            : sampleNumeric(p, g as number[], b as number[], o, ctx.rng);
      }
      return config;
    },
  };
}
