/**
 * Checks that keep a diverged run from passing for a trained one: a loss that became NaN
 * or infinite stops training, and a checkpoint holding non-finite values is refused
 * (a model whose weights are NaN predicts nothing, yet argmax over NaN still "answers").
 * No Node imports: it runs wherever the apps' models do.
 */

/** Where the first non-finite value of a tree is, and how many there are in its leaf. */
export interface NonFinite {
  /** The leaf's path, dot-separated as pytree paths and checkpoint tensor names are. */
  readonly path: string;
  /** Flat index of the first non-finite value in the leaf. */
  readonly index: number;
  readonly value: number;
  /** Non-finite values in that leaf. */
  readonly count: number;
  /** Values in that leaf. */
  readonly size: number;
}

/** A leaf the check reads: a Jute array, or anything else with the same `data()`. */
interface Readable {
  data(): ArrayLike<number>;
}

const isReadable = (x: unknown): x is Readable =>
  typeof x === 'object' && x !== null && typeof (x as { data?: unknown }).data === 'function';

function scan(leaf: ArrayLike<number>, path: string): NonFinite | undefined {
  let first = -1;
  let count = 0;
  for (let i = 0; i < leaf.length; i++) {
    const v = leaf[i]!;
    if (v - v !== 0) {
      // v - v is NaN exactly for NaN and ±Infinity: one test per value.
      if (first < 0) first = i;
      count++;
    }
  }
  return first < 0
    ? undefined
    : { path, index: first, value: leaf[first]!, count, size: leaf.length };
}

/**
 * The first leaf of a tree (nested plain objects and arrays whose leaves are arrays with
 * `data()`, JS numbers, or anything else, which is skipped) holding NaN or ±Infinity, or
 * `undefined` when every value is finite. Leaves are visited in key order.
 * @example
 * firstNonFinite({ dense: { kernel: jt.array([1, NaN]) } }); // { path: 'dense.kernel', index: 1, value: NaN, count: 1, size: 2 }
 */
export function firstNonFinite(tree: unknown, path = ''): NonFinite | undefined {
  if (typeof tree === 'number') return scan([tree], path);
  if (isReadable(tree)) return scan(tree.data(), path);
  if (typeof tree !== 'object' || tree === null) return undefined;
  const entries = Array.isArray(tree)
    ? tree.map((v, i) => [String(i), v] as const)
    : Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of entries) {
    const found = firstNonFinite(v, path === '' ? k : `${path}.${k}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * One line describing a {@link NonFinite}, e.g.
 * `'dense.kernel' holds 3 non-finite values of 100 (first NaN at flat index 7)`.
 * @example describeNonFinite(firstNonFinite(params)!)
 */
export const describeNonFinite = (nf: NonFinite): string =>
  `'${nf.path}' holds ${nf.count} non-finite value${nf.count === 1 ? '' : 's'} of ${nf.size} (first ${nf.value} at flat index ${nf.index})`;

/**
 * Thrown by a training loop when the loss (or the parameters) stop being finite: the
 * run has diverged, and going on would only write NaN checkpoints. The CLIs turn it
 * into one `error:` line and a non-zero exit, keeping the last good checkpoint.
 * @example throw new DivergedError('loss NaN at epoch 1, step 3');
 */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
}

/**
 * Throws {@link DivergedError} when `value` is NaN or infinite; `what` names it and
 * `where` says when, for the message: `training diverged: <what> <value> at <where>; ...`.
 * @example requireFinite(Math.exp(validationLoss), 'validation perplexity', 'epoch 2');
 */
export function requireFinite(value: number, what: string, where: string): void {
  if (!Number.isFinite(value))
    throw new DivergedError(`training diverged: ${what} ${value} at ${where}${STOPPED}`);
}

/**
 * Throws {@link DivergedError} when `loss` is NaN or infinite; `where` says when (for the
 * message), e.g. `epoch 2, step 118`.
 * @example requireFiniteLoss(loss, `epoch ${e + 1}, step ${i + 1}`);
 */
export const requireFiniteLoss = (loss: number, where: string): void =>
  requireFinite(loss, 'loss', where);

/** What every divergence message ends with: what happened to the run and what to try. */
const STOPPED =
  '; stopped without saving it (checkpoints written before are kept; a smaller --lr may help)';

/**
 * Throws {@link DivergedError} when a tree (parameters, optimizer state) holds a
 * non-finite value; checked before a checkpoint is written so that none holds NaN.
 * @example requireFiniteTree(state, 'after epoch 3');
 */
export function requireFiniteTree(tree: unknown, where: string): void {
  const nf = firstNonFinite(tree);
  if (nf) throw new DivergedError(`training diverged: ${describeNonFinite(nf)} ${where}${STOPPED}`);
}
