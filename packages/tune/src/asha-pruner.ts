import type { Pruner } from './pruner';
import { type FrozenTrial, lossOf } from './trial';

/** Options of {@link ashaPruner}. */
export interface AshaOptions {
  /** The step of the first rung (default 1). */
  readonly minResource?: number;
  /** η: each rung keeps the best 1/η of the trials that reach it (default 3). */
  readonly reductionFactor?: number;
  /** s: the first rung is at `minResource · η^s` (default 0). */
  readonly minEarlyStoppingRate?: number;
}

/** A trial's value at a rung: its first report at a step ≥ the rung's step. */
function valueAtRung(t: FrozenTrial, rung: number): number | undefined {
  return t.reports.find(([step]) => step >= rung)?.[1];
}

/**
 * Asynchronous successive halving (ASHA; Li et al., 2020). Rungs sit at steps
 * `minResource · η^(s + k)` for k = 0, 1, 2, ...; when a trial's reports first reach a rung,
 * it goes on only if its value there ranks among the best `max(1, ⌊n/η⌋)` of the `n` trials
 * that reached that rung so far (itself included), otherwise it is pruned. So about one
 * trial in η survives each rung, without waiting for a full bracket: early trials are
 * judged against fewer competitors, and the first one to reach a rung always passes it.
 * A trial is judged once per rung, when it crosses it.
 * @example tune.ashaPruner({ minResource: 1, reductionFactor: 3 }) // rungs at steps 1, 3, 9, 27 ...
 */
export function ashaPruner(options: AshaOptions = {}): Pruner {
  const r = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  const s = options.minEarlyStoppingRate ?? 0;
  const rungs = (upTo: number): number[] => {
    const out: number[] = [];
    for (let k = 0; ; k++) {
      const step = r * eta ** (s + k);
      if (step > upTo || out.length > 64) return out;
      out.push(step);
    }
  };
  return {
    name: 'asha',
    shouldPrune: (trial, trials, direction) => {
      const last = trial.reports.at(-1);
      if (!last) return false;
      const previous = trial.reports.at(-2)?.[0] ?? Number.NEGATIVE_INFINITY;
      const crossed = rungs(last[0]).filter((rung) => rung > previous);
      return crossed.some((rung) => {
        const mine = lossOf(direction, valueAtRung(trial, rung)!);
        const others = trials
          .filter((t) => t.number !== trial.number)
          .map((t) => valueAtRung(t, rung))
          .filter((v): v is number => v !== undefined)
          .map((v) => lossOf(direction, v));
        const all = [...others, mine].sort((a, b) => a - b);
        const keep = Math.max(1, Math.floor(all.length / eta));
        return mine > all[keep - 1]!;
      });
    },
  };
}

/**
 * Successive halving as a pruner: the same as {@link ashaPruner} (its asynchronous form is
 * the only one that fits trials that start and end at different times), under the name
 * Optuna gives it.
 * @example tune.successiveHalvingPruner({ reductionFactor: 4 })
 */
export const successiveHalvingPruner: (options?: AshaOptions) => Pruner = ashaPruner;
