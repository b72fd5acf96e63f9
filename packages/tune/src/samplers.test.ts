import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { gridSampler, gridSize } from './grid-sampler';
import { randomSampler } from './random-sampler';
import { rngFromKey } from './rng';
import type { Sampler } from './sampler';
import { type ConfigOf, choice, int, logUniform, type Space, uniform, when } from './space';
import { createStudy, type Trial } from './study';
import { tpeSampler } from './tpe-sampler';
import { type ValidSpace, validateSpace } from './validate-space';

const valid = (space: Space): ValidSpace => {
  const v = validateSpace(space);
  if (E.isLeft(v)) throw new Error(v.left._tag);
  return v.right;
};

/** `n` configurations a sampler proposes with no history, each from its own key. */
const draws = (sampler: Sampler, space: Space, n: number, seed = 0) =>
  Array.from({ length: n }, (_, number) =>
    sampler.sample({
      space: valid(space),
      trials: [],
      direction: 'minimize',
      number,
      rng: rngFromKey(jt.random.foldIn(jt.random.key(seed), number)),
    }),
  );

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

describe('randomSampler', () => {
  const space = {
    x: uniform(-1, 3),
    lr: logUniform(1e-4, 1),
    n: int(1, 4),
    act: choice(['relu', 'tanh']),
    slope: when('act', ['relu'], uniform(0, 0.3)),
  };

  it('draws every parameter in its range, at the right scale', () => {
    const cs = draws(randomSampler(), space, 4000);
    const col = (k: string) => cs.map((c) => c[k]).filter((v) => v !== undefined) as number[];
    expect(Math.min(...col('x'))).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...col('x'))).toBeLessThanOrEqual(3);
    // Log-uniform on [1e-4, 1]: a quarter of the draws in each decade.
    const lr = col('lr');
    expect(lr.every((v) => v >= 1e-4 && v <= 1)).toBe(true);
    for (const d of [-4, -3, -2, -1]) {
      const share = lr.filter((v) => v >= 10 ** d && v < 10 ** (d + 1)).length / lr.length;
      expect(Math.abs(share - 0.25)).toBeLessThan(0.03);
    }
    // Integers 1..4, each a quarter of the time (both ends included).
    const n = col('n');
    for (const k of [1, 2, 3, 4])
      expect(Math.abs(n.filter((v) => v === k).length / n.length - 0.25)).toBeLessThan(0.03);
    expect(n.every(Number.isInteger)).toBe(true);
  });

  it('draws a conditional parameter exactly when its condition holds', () => {
    for (const c of draws(randomSampler(), space, 300)) {
      expect(c.slope === undefined).toBe(c.act !== 'relu');
      expect('slope' in c).toBe(c.act === 'relu');
    }
  });

  it('is reproducible from the key', () => {
    expect(draws(randomSampler(), space, 20, 5)).toEqual(draws(randomSampler(), space, 20, 5));
    expect(draws(randomSampler(), space, 20, 5)).not.toEqual(draws(randomSampler(), space, 20, 6));
  });
});

describe('gridSampler', () => {
  it('enumerates the product of the axes, log-spaced where the parameter is', () => {
    const space = { lr: logUniform(1e-3, 1e-1), bs: choice([32, 64]), n: int(1, 3) };
    const grid = draws(gridSampler({ points: 3 }), space, 18);
    expect(gridSize(valid(space), { points: 3 })).toBe(18);
    const first = grid.slice(0, 18);
    const lrs = [...new Set(first.map((c) => c.lr as number))].sort((a, b) => a - b);
    expect(lrs.map((v) => Number(v.toPrecision(10)))).toEqual([1e-3, 1e-2, 1e-1]);
    expect(new Set(first.map((c) => JSON.stringify(c))).size).toBe(18);
    // Past the end it starts over.
    expect(draws(gridSampler({ points: 3 }), space, 19)[18]).toEqual(first[0]);
  });

  it('spaces integers evenly when there are more than `points`, and skips inactive parameters', () => {
    const space = {
      width: int(8, 512, { log: true }),
      opt: choice(['sgd', 'adam']),
      momentum: when('opt', ['sgd'], uniform(0, 0.9)),
    };
    // 4 widths × (4 momenta with sgd + adam without) = 20 configurations.
    expect(gridSize(valid(space), { points: 4 })).toBe(20);
    const grid = draws(gridSampler({ points: 4 }), space, 20);
    expect([...new Set(grid.map((c) => c.width))].sort((a, b) => Number(a) - Number(b))).toEqual([
      8, 32, 128, 512,
    ]);
    expect(grid.filter((c) => c.opt === 'adam').every((c) => !('momentum' in c))).toBe(true);
    expect(new Set(grid.filter((c) => c.opt === 'sgd').map((c) => c.momentum))).toEqual(
      new Set([0, 0.3, 0.6, 0.9]),
    );
  });
});

// --- TPE against random search on standard synthetic objectives ------------------------

/** Branin–Hoo on [-5, 10] × [0, 15]; its minimum is 0.397887 (at three points). */
const branin = (x: number, y: number) =>
  (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 +
  10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
  10;

/** The median over 10 seeds of the best value a sampler finds within a budget. */
async function medianBest<S extends Space>(
  space: S,
  objective: (t: Trial<ConfigOf<S>>) => number,
  sampler: () => Sampler,
  trials: number,
): Promise<number> {
  const bests: number[] = [];
  for (let seed = 0; seed < 10; seed++) {
    const study = await createStudy({ space, key: jt.random.key(seed), sampler: sampler() })();
    if (E.isLeft(study)) throw new Error(study.left._tag);
    await study.right.optimize(objective, { trials })();
    bests.push(study.right.best!.value!);
  }
  return median(bests);
}

describe('tpeSampler beats random search at the same budget (median best of 10 seeds)', () => {
  it('on Branin', async () => {
    const space = { x: uniform(-5, 10), y: uniform(0, 15) };
    const f = (t: Trial<ConfigOf<typeof space>>) => branin(t.params.x, t.params.y);
    const tpe = await medianBest(space, f, () => tpeSampler(), 50);
    const random = await medianBest(space, f, randomSampler, 50);
    console.log(
      `Branin, 50 trials: TPE ${tpe.toFixed(3)}, random ${random.toFixed(3)} (optimum 0.398)`,
    );
    expect(tpe).toBeLessThan(random);
  });

  it('on a noisy 4-D quadratic with log-scale and integer parameters', async () => {
    const space = { a: uniform(-5, 5), b: uniform(-5, 5), lr: logUniform(1e-5, 1), n: int(1, 64) };
    // Minimum 0 at a = 1, b = -2, lr = 1e-3, n = 16, plus noise in [0, 0.5) fixed per trial.
    const f = (t: Trial<ConfigOf<typeof space>>) => {
      const p = t.params;
      const noise = 0.5 * rngFromKey(t.key).next();
      return (
        (p.a - 1) ** 2 +
        (p.b + 2) ** 2 +
        (Math.log10(p.lr) + 3) ** 2 +
        ((p.n - 16) / 8) ** 2 +
        noise
      );
    };
    const tpe = await medianBest(space, f, () => tpeSampler(), 60);
    const random = await medianBest(space, f, randomSampler, 60);
    console.log(`noisy quadratic, 60 trials: TPE ${tpe.toFixed(3)}, random ${random.toFixed(3)}`);
    expect(tpe).toBeLessThan(random);
  });

  it('on a conditional space (two model families with their own parameters)', async () => {
    const space = {
      model: choice(['linear', 'kernel']),
      slope: when('model', ['linear'], uniform(-5, 5)),
      gamma: when('model', ['kernel'], logUniform(1e-4, 10)),
      kernel: when('model', ['kernel'], choice(['rbf', 'poly', 'laplace'])),
      depth: int(1, 20),
    };
    // linear: at best 1; kernel: 0 at gamma = 0.01 with rbf; depth 7 is best for both.
    const f = (t: Trial<ConfigOf<typeof space>>) => {
      const p = t.params;
      const shared = ((p.depth - 7) / 4) ** 2;
      if (p.model === 'linear') return 1 + (p.slope! - 2) ** 2 + shared;
      const penalty = { rbf: 0, poly: 0.5, laplace: 1 }[p.kernel!];
      return (Math.log10(p.gamma!) + 2) ** 2 + penalty + shared;
    };
    const tpe = await medianBest(space, f, () => tpeSampler(), 50);
    const random = await medianBest(space, f, randomSampler, 50);
    console.log(`conditional space, 50 trials: TPE ${tpe.toFixed(3)}, random ${random.toFixed(3)}`);
    expect(tpe).toBeLessThan(random);
  });
});
