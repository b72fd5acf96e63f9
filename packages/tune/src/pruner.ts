import type { Direction, FrozenTrial } from './trial';

/**
 * Decides whether a running trial should stop early, from its reports so far and every
 * other trial's. A pruner is a pure function of that history.
 */
export interface Pruner {
  readonly name: string;
  /** Whether `trial` (running; its last report is the newest) should stop now. */
  readonly shouldPrune: (
    trial: FrozenTrial,
    trials: readonly FrozenTrial[],
    direction: Direction,
  ) => boolean;
}

/**
 * Never prunes: every trial runs to the end (the default).
 * @example tune.createStudy({ space, key, pruner: tune.noPruner() })
 */
export const noPruner = (): Pruner => ({ name: 'none', shouldPrune: () => false });
