import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { batch } from './batch';
import {
  type Batched,
  type Dataset,
  identityOrder,
  makeIndexedDataset,
  type Table,
} from './dataset';
import { shuffle } from './shuffle';

/**
 * One language-modelling example: `targets[t]` is the character after `inputs[t]`.
 * @example const { inputs, targets }: CharWindow = (await collect(charWindows(ids, { length: 8 })))[0]!;
 */
export interface CharWindow {
  /** int32 `[length]` (a batch: `[batch, length]`). */
  readonly inputs: jt.Array;
  /** int32 `[length]`: `inputs` shifted left by one. */
  readonly targets: jt.Array;
}

/**
 * Options of {@link charWindows}.
 * @example charWindows(ids, { length: 100, stride: 50 })
 */
export interface CharWindowOptions {
  /** Time steps per window. */
  readonly length: number;
  /** Distance between the starts of consecutive windows (default `length`: no overlap). */
  readonly stride?: number;
}

const toIds = (ids: Int32Array | jt.Array): Int32Array => {
  if (!(ids instanceof jt.Array)) return ids;
  if (ids.ndim !== 1 || ids.dtype !== 'int32') {
    throw new jt.DTypeError(
      `charWindows: ids must be int32 of rank 1, got ${ids.dtype}${jt.fmtShape(ids.shape)}`,
    );
  }
  return ids.data() as Int32Array;
};

/**
 * Next-character windows over encoded text: window `i` starts at `i * stride`, with
 * `inputs = ids[s, s+length)` and `targets = ids[s+1, s+length+1)`. Random access, so
 * `shuffle` and `batch` gather `[batch, time]` int32 arrays directly.
 * @example
 * const ids = E.getOrElseW(() => new Int32Array())(vocab.encode(text));
 * const ds = pipe(data.charWindows(ids, { length: 64 }), data.shuffle(key), data.batch(32));
 */
export function charWindows(
  ids: Int32Array | jt.Array,
  options: CharWindowOptions,
): Dataset<CharWindow> {
  const src = toIds(ids);
  const T = options.length;
  const stride = options.stride ?? T;
  if (!Number.isSafeInteger(T) || T < 1)
    throw new jt.ValueError(`charWindows: length must be a positive integer, got ${T}`);
  if (!Number.isSafeInteger(stride) || stride < 1)
    throw new jt.ValueError(`charWindows: stride must be a positive integer, got ${stride}`);
  const count = src.length >= T + 1 ? Math.floor((src.length - T - 1) / stride) + 1 : 0;
  const slice = (buf: Int32Array, at: number, from: number): void =>
    buf.set(src.subarray(from, from + T), at);
  const table: Table<CharWindow> = {
    length: count,
    get: (i) => ({
      inputs: jt.array(src.subarray(i * stride, i * stride + T), { dtype: 'int32' }),
      targets: jt.array(src.subarray(i * stride + 1, i * stride + T + 1), { dtype: 'int32' }),
    }),
    gather: (indices): Batched<CharWindow> => {
      const inputs = new Int32Array(indices.length * T);
      const targets = new Int32Array(indices.length * T);
      indices.forEach((w, k) => {
        slice(inputs, k * T, w * stride);
        slice(targets, k * T, w * stride + 1);
      });
      const shape = [indices.length, T];
      return {
        inputs: jt.array(inputs, { shape, dtype: 'int32' }),
        targets: jt.array(targets, { shape, dtype: 'int32' }),
      };
    },
  };
  return makeIndexedDataset({ table, length: count, order: () => identityOrder(count) });
}

/**
 * Options of {@link languageModelBatches}.
 * @example languageModelBatches(ids, { batchSize: 32, length: 100, key })
 */
export interface LanguageModelBatchOptions extends CharWindowOptions {
  readonly batchSize: number;
  /** Shuffle the windows with this key (per epoch, see `epoch`); in text order without it. */
  readonly key?: jt.Array;
  /** Default `true`: every batch has exactly `batchSize` rows. */
  readonly dropRemainder?: boolean;
}

/**
 * Batches of next-character windows, `{ inputs, targets }` int32 `[batch, time]`:
 * `charWindows`, then `shuffle` when a key is given, then `batch`.
 * @example
 * const batches = data.languageModelBatches(ids, { batchSize: 32, length: 100, key });
 * for await (const { inputs, targets } of data.epoch(batches, e)) step(inputs, targets);
 */
export function languageModelBatches(
  ids: Int32Array | jt.Array,
  options: LanguageModelBatchOptions,
): Dataset<Batched<CharWindow>> {
  const windows = charWindows(ids, options);
  const shuffled = options.key ? pipe(windows, shuffle(options.key)) : windows;
  return pipe(shuffled, batch(options.batchSize, { dropRemainder: options.dropRemainder ?? true }));
}
