/**
 * Where a trial stands: `running` (started, no outcome yet), `complete` (the objective
 * returned a finite value), `pruned` (stopped early by the pruner), `failed` (the
 * objective threw or returned a value that is not a finite number).
 */
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/** One intermediate value an objective reported: `[step, value]`. */
export type Report = readonly [step: number, value: number];

/**
 * A trial as the study records it: immutable, and the same whether it was just run or
 * read back from a journal.
 * @example
 * const t: FrozenTrial<{ x: number }> = {
 *   number: 0, state: 'complete', params: { x: 1 }, value: 2, reports: [[1, 3], [2, 2]], restarts: 0,
 * };
 */
export interface FrozenTrial<C = Readonly<Record<string, unknown>>> {
  readonly number: number;
  readonly state: TrialState;
  readonly params: C;
  /** The objective's value (`complete`), or the last reported value (`pruned`). */
  readonly value?: number;
  /** Intermediate values in the order they were reported. */
  readonly reports: readonly Report[];
  /** Why a `failed` trial failed. */
  readonly error?: string;
  /** How many times the trial was restarted after its process died while it ran. */
  readonly restarts: number;
}

/** Whether objective values are losses (`minimize`) or scores (`maximize`). */
export type Direction = 'minimize' | 'maximize';

/** A value as a loss, smaller is better whatever the direction; NaN is the worst. */
export const lossOf = (direction: Direction, v: number): number =>
  Number.isNaN(v) ? Number.POSITIVE_INFINITY : direction === 'minimize' ? v : -v;
