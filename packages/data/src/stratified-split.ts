import type { Xoshiro128 } from './rng';
import { rngFromSeed } from './rng';

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder,
 * ties to the lower index), so the parts add up to `total` exactly.
 */
export function proportionalQuotas(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    quotas[i]! += 1;
  }
  return quotas;
}

const fisherYates = (xs: Int32Array, rng: Xoshiro128): Int32Array => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
};

/**
 * Chooses a stratified train/test split of examples with `labels` (`numClasses`
 * classes): each class keeps its share in both parts. Deterministic in `seed`.
 * Returns shuffled index lists.
 * @example stratifiedSplit(labels, 10, { trainSize: 80, testSize: 20, seed: 0 })
 */
export function stratifiedSplit(
  labels: Int32Array,
  numClasses: number,
  options: { readonly trainSize: number; readonly testSize: number; readonly seed: number },
): { readonly train: Int32Array; readonly test: Int32Array } {
  const rng = rngFromSeed(options.seed);
  const members: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((l, i) => {
    members[l]?.push(i);
  });
  const counts = members.map((m) => m.length);
  const testQ = proportionalQuotas(options.testSize, counts);
  const remaining = counts.map((c, k) => c - testQ[k]!);
  const trainQ = proportionalQuotas(options.trainSize, remaining);
  const train: number[] = [];
  const test: number[] = [];
  members.forEach((m, k) => {
    const perm = fisherYates(Int32Array.from(m), rng);
    test.push(...perm.subarray(0, testQ[k]!));
    train.push(...perm.subarray(testQ[k]!, testQ[k]! + trainQ[k]!));
  });
  return {
    train: fisherYates(Int32Array.from(train), rng),
    test: fisherYates(Int32Array.from(test), rng),
  };
}
