import { rankTrials } from './tpe-sampler';
import type { Direction, FrozenTrial } from './trial';

/** Options of {@link leaderboard}. */
export interface LeaderboardOptions {
  readonly direction?: Direction;
  /** Rows shown (default 10). */
  readonly top?: number;
  /** Header of the value column (default `value`). */
  readonly valueName?: string;
}

/** Four significant digits, integers as they are. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '-';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

/**
 * The best trials as a text table: rank, trial number, value, state, the number of
 * intermediate reports, then one column per parameter (`-` where a conditional one did
 * not exist). Complete trials come first, best first; pruned ones follow, deepest first;
 * a last line counts the trials by state.
 * @example console.log(tune.leaderboard(study.trials, { direction: 'minimize', top: 5 }));
 */
export function leaderboard(
  trials: readonly FrozenTrial[],
  options: LeaderboardOptions = {},
): string {
  const direction = options.direction ?? 'minimize';
  const ranked = rankTrials(trials, direction).slice(0, options.top ?? 10);
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const header = ['rank', 'trial', options.valueName ?? 'value', 'state', 'steps', ...names];
  const rows = ranked.map((t, i) => [
    String(i + 1),
    String(t.number),
    formatValue(t.value),
    t.state,
    String(t.reports.length),
    ...names.map((n) => formatValue(t.params[n])),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const count = (s: string) => trials.filter((t) => t.state === s).length;
  const summary = `${trials.length} trials: ${count('complete')} complete, ${count('pruned')} pruned, ${count('failed')} failed, ${count('running')} running`;
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    summary,
  ].join('\n');
}
