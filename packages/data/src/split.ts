import * as jt from '@jute/tensor';
import { type Dataset, defaultContext, makeDataset, makeIndexedDataset } from './dataset';
import { rngFor } from './rng';
import { shuffleOrder } from './shuffle';
import { skip } from './skip';
import { take } from './take';

/**
 * Options of {@link split}: give exactly one of `validationFraction` and `validationSize`.
 * @example split(ds, { validationSize: 1000, key })
 */
export interface SplitOptions {
  /** Share of the examples held out, in `(0, 1)`. */
  readonly validationFraction?: number;
  /** Number of examples held out. */
  readonly validationSize?: number;
  /** Permute before splitting (random-access datasets only); without it the last examples are held out. */
  readonly key?: jt.Array;
}

/**
 * The two parts {@link split} returns.
 * @example const { train, validation }: SplitDatasets<Example> = split(ds, { validationFraction: 0.1 });
 */
export interface SplitDatasets<T> {
  readonly train: Dataset<T>;
  readonly validation: Dataset<T>;
}

/**
 * Splits a dataset into disjoint train and validation parts. Membership is fixed:
 * it is taken from epoch 0 of `ds`, so shuffling upstream cannot leak validation
 * examples into training in later epochs. Shuffle the train part afterwards.
 * @example
 * const { train, validation } = split(fromArrays({ x, y }), { validationFraction: 0.1, key });
 * const batches = pipe(train, shuffle(k2), batch(64));
 */
export function split<T>(ds: Dataset<T>, options: SplitOptions): SplitDatasets<T> {
  const n = ds.cardinality;
  if (n === undefined || !Number.isFinite(n)) {
    throw new jt.ValueError('split: needs a dataset of known, finite cardinality');
  }
  const { validationFraction: f, validationSize: s } = options;
  if ((f === undefined) === (s === undefined)) {
    throw new jt.ValueError('split: give exactly one of validationFraction and validationSize');
  }
  if (f !== undefined && !(f > 0 && f < 1))
    throw new jt.ValueError(`split: validationFraction must be in (0, 1), got ${f}`);
  if (s !== undefined && !(Number.isSafeInteger(s) && s >= 0 && s <= n)) {
    throw new jt.ValueError(`split: validationSize must be an integer in [0, ${n}], got ${s}`);
  }
  const nVal = s ?? Math.round(n * f!);
  const nTrain = n - nVal;
  const plan = ds.indexed;
  if (plan) {
    let base: Int32Array | undefined;
    const order = (): Int32Array => {
      base ??= options.key
        ? shuffleOrder(
            plan.order(defaultContext),
            Number.POSITIVE_INFINITY,
            rngFor(options.key, defaultContext),
          )
        : plan.order(defaultContext);
      return base;
    };
    return {
      train: makeIndexedDataset({
        table: plan.table,
        length: nTrain,
        order: () => order().slice(0, nTrain),
      }),
      validation: makeIndexedDataset({
        table: plan.table,
        length: nVal,
        order: () => order().slice(nTrain),
      }),
    };
  }
  if (options.key)
    throw new jt.ValueError('split: a key needs a random-access dataset (fromArrays, charWindows)');
  const pinned = (part: Dataset<T>): Dataset<T> =>
    makeDataset(() => part.iterate(defaultContext), part.cardinality);
  return { train: pinned(take(nTrain)(ds)), validation: pinned(skip(nTrain)(ds)) };
}
