// Run by file-journal.test.ts as a separate process that the test kills with SIGKILL:
// a study whose trials take a while, journaled to the file named on the command line.
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { ashaPruner, createStudy, fileJournal, type Objective, tpeSampler, uniform } from './node';

export const crashSpace = { x: uniform(-3, 3), y: uniform(-3, 3) };

/** A curve per configuration; `pause` makes it slow enough to be killed mid-trial. */
export const crashObjective =
  (pause: number): Objective<{ readonly x: number; readonly y: number }> =>
  async (t) => {
    let v = Number.NaN;
    for (let step = 1; step <= 4; step++) {
      v = (t.params.x - 1) ** 2 + (t.params.y + 0.5) ** 2 + 1 / step;
      t.report(step, v);
      if (t.shouldPrune()) return v;
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
    return v;
  };

export const crashOptions = {
  space: crashSpace,
  key: jt.random.key(11),
  sampler: tpeSampler({ startupTrials: 3 }),
  pruner: ashaPruner({ reductionFactor: 2 }),
};

if (process.argv[1]?.endsWith('crash-child.fixture.ts')) {
  const study = await createStudy({ ...crashOptions, journal: fileJournal(process.argv[2]!) })();
  if (E.isLeft(study)) throw new Error(study.left._tag);
  await study.right.optimize(crashObjective(60), { trials: 1000 })();
}
