import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { ashaPruner } from './asha-pruner';
import { gridSampler } from './grid-sampler';
import { medianPruner } from './median-pruner';
import { choice } from './space';
import { createStudy } from './study';
import type { FrozenTrial, Report, TrialState } from './trial';

const trial = (number: number, reports: Report[], state: TrialState = 'running'): FrozenTrial => ({
  number,
  state,
  params: {},
  reports,
  restarts: 0,
  ...(state === 'complete' ? { value: reports.at(-1)![1] } : {}),
});

describe('ashaPruner (η = 2, rungs at steps 1, 2, 4, 8)', () => {
  const asha = ashaPruner({ minResource: 1, reductionFactor: 2 });
  const prune = (
    t: FrozenTrial,
    others: FrozenTrial[],
    direction: 'minimize' | 'maximize' = 'minimize',
  ) => asha.shouldPrune(t, [...others, t], direction);

  it('keeps the best max(1, ⌊n/2⌋) of the n trials at a rung', () => {
    const t0 = trial(0, [[1, 5]]);
    expect(prune(t0, [])).toBe(false); // alone at the rung: passes
    const t1 = trial(1, [[1, 3]]);
    expect(prune(t1, [t0])).toBe(false); // {5, 3}: keep 1, 3 is the best
    const t2 = trial(2, [[1, 4]]);
    expect(prune(t2, [t0, t1])).toBe(true); // {5, 3, 4}: keep 1, 4 > 3
    const t3 = trial(3, [[1, 1]]);
    expect(prune(t3, [t0, t1, t2])).toBe(false);
    const t4 = trial(4, [[1, 3.5]]);
    expect(prune(t4, [t0, t1, t2, t3])).toBe(true); // {1, 3, 3.5, 4, 5}: keep 2, 3.5 > 3
    const t5 = trial(5, [[1, 3]]);
    expect(prune(t5, [t0, t1, t2, t3, t4])).toBe(false); // keep 3 of 6: [1, 3, 3, ...], ties pass
  });

  it('judges a trial once per rung, when it crosses it', () => {
    const t1 = trial(1, [
      [1, 3],
      [2, 2.9],
    ]);
    // t0 reaches rung 2 first, alone there: it passes, and is not judged again at step 3
    // even though t1 has since done better at that rung.
    const t0 = trial(0, [
      [1, 5],
      [2, 4.5],
    ]);
    expect(prune(t0, [])).toBe(false);
    const t0later = trial(0, [
      [1, 5],
      [2, 4.5],
      [3, 4.4],
    ]);
    expect(prune(t0later, [t1])).toBe(false);
    // At rung 4 it meets t1 again ({4.2, 2.5}: keep 1) and is pruned.
    const t1deep = trial(1, [
      [1, 3],
      [2, 2.9],
      [4, 2.5],
    ]);
    const t0deep = trial(0, [
      [1, 5],
      [2, 4.5],
      [3, 4.4],
      [4, 4.2],
    ]);
    expect(prune(t0deep, [t1deep])).toBe(true);
  });

  it('uses the first report at or past a rung, and judges every rung a jump crosses', () => {
    const leader = trial(0, [
      [1, 1],
      [2, 1],
    ]);
    // Reports only at step 3: its value there stands for rungs 1 and 2.
    expect(prune(trial(1, [[3, 0.5]]), [leader])).toBe(false);
    expect(prune(trial(1, [[3, 2]]), [leader])).toBe(true);
    // Steps between rungs are never judged.
    expect(prune(trial(1, [[0.5, 99]]), [leader])).toBe(false);
  });

  it('ranks by the direction: for maximize, larger is better', () => {
    const t0 = trial(0, [[1, 0.9]]);
    expect(prune(trial(1, [[1, 0.8]]), [t0], 'maximize')).toBe(true);
    expect(prune(trial(1, [[1, 0.95]]), [t0], 'maximize')).toBe(false);
    expect(prune(trial(1, [[1, 0.8]]), [t0], 'minimize')).toBe(false);
  });

  it('honours minResource and minEarlyStoppingRate (rungs at r·η^(s+k))', () => {
    // r = 2, η = 3, s = 1: rungs at 6, 18, ...
    const p = ashaPruner({ minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1 });
    const others = [trial(0, [[6, 1]]), trial(1, [[6, 2]]), trial(2, [[6, 3]])];
    const judged = (reports: Report[]) => p.shouldPrune(trial(9, reports), others, 'minimize');
    expect(judged([[2, 100]])).toBe(false);
    expect(judged([[5, 100]])).toBe(false);
    // {1, 2, 3, 1.5}: keep ⌊4/3⌋ = 1.
    expect(judged([[6, 1.5]])).toBe(true);
    expect(judged([[6, 0.5]])).toBe(false);
  });

  it('in a study, stops exactly the trials whose curves fall behind', async () => {
    // Trial i follows curve i for 8 steps (the grid sampler hands out curves in order).
    const curves: Record<string, number[]> = {
      a: [5, 4, 3, 2, 1.5, 1.2, 1.1, 1],
      b: [3, 2.5, 2.2, 2, 1.9, 1.8, 1.7, 1.6], // better than a at rungs 1, 2; worse at 4, 8
      c: [4, 4, 4, 4, 4, 4, 4, 4], // behind b at rung 1 (keep 1 of 3)
      d: [2, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4], // best everywhere
      e: [2.8, 2.4, 2.3, 2.2, 2.1, 2, 1.9, 1.8], // kept twice, then behind at rung 4
    };
    const study = await createStudy({
      space: { curve: choice(Object.keys(curves)) },
      key: jt.random.key(0),
      sampler: gridSampler(),
      pruner: ashaPruner({ reductionFactor: 2 }),
    })();
    if (E.isLeft(study)) throw new Error(study.left._tag);
    await study.right.optimize(
      (t) => {
        const curve = curves[t.params.curve]!;
        for (let step = 1; step <= curve.length; step++) {
          t.report(step, curve[step - 1]!);
          if (t.shouldPrune()) break;
        }
        return curve.at(-1)!;
      },
      { trials: 5 },
    )();
    // By hand: a passes everything alone. b: rung 1 {5, 3} ok, rung 2 {4, 2.5} ok, rung 4
    // {2, 2} keep 1, ties pass; rung 8 {1, 1.6} → pruned. c: rung 1 {5, 3, 4} → pruned.
    // d: best at every rung. e: rung 1 {5, 3, 4, 2, 2.8} keep 2 → 2.8 ≤ 2.8 kept;
    // rung 2 {4, 2.5, 1, 2.4} keep 2 → 2.4 ≤ 2.4 kept; rung 4 {2, 2, 0.8, 2.2} keep 2 → 2.2 > 2 pruned.
    const outcome = study.right.trials.map((t) => [t.params.curve, t.state, t.reports.length]);
    expect(outcome).toEqual([
      ['a', 'complete', 8],
      ['b', 'pruned', 8],
      ['c', 'pruned', 1],
      ['d', 'complete', 8],
      ['e', 'pruned', 4],
    ]);
    // A pruned trial's value is its last report.
    expect(study.right.trials[2]!.value).toBe(4);
    expect(study.right.best?.params.curve).toBe('d');
  });
});

describe('medianPruner', () => {
  const done = [
    trial(
      0,
      [
        [1, 4],
        [2, 3],
      ],
      'complete',
    ),
    trial(
      1,
      [
        [1, 2],
        [2, 1],
      ],
      'complete',
    ),
  ];
  const judge = (reports: Report[], options = {}, others = done) =>
    medianPruner({ startupTrials: 2, ...options }).shouldPrune(
      trial(7, reports),
      others,
      'minimize',
    );

  it('prunes a trial whose best so far is worse than the median at this step', () => {
    expect(judge([[1, 3.5]])).toBe(true); // median at step 1: 3
    expect(judge([[1, 2.5]])).toBe(false);
    expect(
      judge([
        [1, 2.5],
        [2, 2.2],
      ]),
    ).toBe(true); // median at step 2: 2; best so far 2.2
    expect(
      judge([
        [1, 1.5],
        [2, 2.2],
      ]),
    ).toBe(false); // best so far 1.5
  });

  it('waits for startup trials, spares the warm-up and judges at the interval', () => {
    expect(judge([[1, 99]], { startupTrials: 3 })).toBe(false);
    expect(judge([[1, 99]], { warmupSteps: 2 })).toBe(false);
    expect(
      judge(
        [
          [1, 99],
          [2, 99],
        ],
        { warmupSteps: 2 },
      ),
    ).toBe(true);
    // Judged at steps 0, 2, 4 ... only.
    expect(judge([[1, 99]], { intervalSteps: 2 })).toBe(false);
    expect(
      judge(
        [
          [1, 2.5],
          [2, 99],
        ],
        { intervalSteps: 2 },
      ),
    ).toBe(true);
  });

  it('ignores running and pruned trials, and steps nobody else reported', () => {
    const others = [...done, trial(2, [[1, 0]], 'pruned'), trial(3, [[1, 0]])];
    expect(judge([[1, 2.5]], {}, others)).toBe(false); // the median is still 3
    expect(judge([[5, 99]])).toBe(false);
  });
});
