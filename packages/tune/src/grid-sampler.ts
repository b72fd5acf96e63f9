import { fromInternal, internalBounds } from './param-scale';
import type { Sampler } from './sampler';
import type { Param, Primitive } from './space';
import { isActive, type ValidSpace } from './validate-space';

/** The grid values of one parameter: every choice, and `points` evenly spaced numbers. */
function axis(p: Param, points: number): readonly Primitive[] {
  if (p.kind === 'choice') return p.values;
  if (p.kind === 'int' && p.hi - p.lo + 1 <= points) {
    return Array.from({ length: p.hi - p.lo + 1 }, (_, i) => p.lo + i);
  }
  // Evenly spaced on the parameter's scale, ends included (integers: bin centres).
  const [lo, hi] =
    p.kind === 'int'
      ? p.log
        ? [Math.log(p.lo), Math.log(p.hi)]
        : [p.lo, p.hi]
      : internalBounds(p);
  const xs =
    points === 1
      ? [(lo + hi) / 2]
      : Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  return [...new Set(xs.map((x) => fromInternal(p, x)))];
}

/** Every configuration of the grid, skipping inactive conditional parameters. */
function enumerate(space: ValidSpace, points: number): Record<string, Primitive>[] {
  let configs: Record<string, Primitive>[] = [{}];
  for (const name of space.order) {
    const p = space.params[name]!;
    const values = axis(p, points);
    configs = configs.flatMap((c) =>
      isActive(p, c) ? values.map((v) => ({ ...c, [name]: v })) : [c],
    );
  }
  return configs;
}

/**
 * Grid search: trial `n` takes the `n`-th configuration of the grid (every `choice` value,
 * every integer of small ranges, `points` evenly spaced values, on a log scale where the
 * parameter is, for the others), in a fixed order; past the end it starts over. A
 * conditional parameter multiplies only the configurations where it exists.
 * @example tune.gridSampler({ points: 4 }) // 4 learning rates × 3 batch sizes = 12 trials
 */
export function gridSampler(options: { readonly points?: number } = {}): Sampler {
  const points = Math.max(1, Math.floor(options.points ?? 5));
  const cache = new Map<string, Record<string, Primitive>[]>();
  return {
    name: 'grid',
    sample: ({ space, number }) => {
      let grid = cache.get(space.fingerprint);
      if (!grid) {
        grid = enumerate(space, points);
        cache.set(space.fingerprint, grid);
      }
      return grid[number % grid.length]!;
    },
  };
}

/**
 * How many configurations {@link gridSampler} enumerates for a space: a budget of that many
 * trials visits each once.
 * @example gridSize(validSpace, { points: 4 })
 */
export const gridSize = (space: ValidSpace, options: { readonly points?: number } = {}): number =>
  enumerate(space, Math.max(1, Math.floor(options.points ?? 5))).length;
