import type { Pruner } from './pruner';
import { lossOf } from './trial';

/** Options of {@link medianPruner}. */
export interface MedianOptions {
  /** Complete trials needed before anything is pruned (default 5). */
  readonly startupTrials?: number;
  /** Steps before which a trial is never pruned (default 0). */
  readonly warmupSteps?: number;
  /** Judge only every this many steps after the warm-up (default 1). */
  readonly intervalSteps?: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The median stopping rule (Golovin et al., 2017): at step t, prune a trial whose best value
 * so far is worse than the median of the values the complete trials reported at step t.
 * Waits for `startupTrials` complete trials, and spares steps before `warmupSteps`.
 * @example tune.medianPruner({ startupTrials: 5, warmupSteps: 2 })
 */
export function medianPruner(options: MedianOptions = {}): Pruner {
  const startup = options.startupTrials ?? 5;
  const warmup = options.warmupSteps ?? 0;
  const interval = Math.max(1, options.intervalSteps ?? 1);
  return {
    name: 'median',
    shouldPrune: (trial, trials, direction) => {
      const last = trial.reports.at(-1);
      if (!last) return false;
      const [step] = last;
      if (step < warmup || (step - warmup) % interval !== 0) return false;
      const complete = trials.filter((t) => t.state === 'complete' && t.number !== trial.number);
      if (complete.length < startup) return false;
      const atStep = complete
        .map((t) => t.reports.find(([s]) => s === step)?.[1])
        .filter((v): v is number => v !== undefined)
        .map((v) => lossOf(direction, v));
      if (atStep.length === 0) return false;
      const best = Math.min(...trial.reports.map(([, v]) => lossOf(direction, v)));
      return best > median(atStep);
    },
  };
}
