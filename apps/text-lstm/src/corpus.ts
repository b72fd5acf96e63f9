import * as data from '@jute/data';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type AppError, appError } from './errors';

/** The corpus encoded with its vocabulary and split into training and validation ids. */
export interface Corpus {
  readonly vocab: data.CharVocab;
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

/**
 * Loads a UTF-8 text (the embedded *Moby-Dick* by default), builds its character
 * vocabulary and holds out the last `validationFraction` of it for validation.
 * @example const corpus = await loadCorpus({ validationFraction: 0.1 })();
 */
export const loadCorpus = (o: {
  readonly path?: string;
  readonly validationFraction: number;
  readonly minChars: number;
}): TE.TaskEither<AppError, Corpus> =>
  pipe(
    data.loadTextCorpus(o.path),
    TE.mapLeft((e) => appError(data.formatDataError(e))),
    TE.flatMapEither((text) => {
      const name = o.path ?? 'the corpus';
      const vocab = data.charVocab(text);
      const ids = vocab.encode(text);
      if (E.isLeft(ids)) return E.left(appError(`${name}: ${data.formatDataError(ids.left)}`));
      const n = ids.right.length;
      const nVal = Math.floor(n * o.validationFraction);
      if (n - nVal < o.minChars || nVal < 2)
        return E.left(
          appError(
            `${name} has ${n} characters; it needs at least ${o.minChars} for training plus ${Math.ceil(o.validationFraction * 100)}% for validation`,
          ),
        );
      return E.right({
        vocab,
        train: ids.right.subarray(0, n - nVal),
        validation: ids.right.subarray(n - nVal),
      });
    }),
  );

/**
 * The perplexity of the unigram model of `ids`: `exp(-Σ p log p)` over the character
 * frequencies `p` of the text itself, the score of a model that ignores context.
 * @example unigramPerplexity(new Int32Array([0, 0, 1, 1]), 2); // 2
 */
export function unigramPerplexity(ids: Int32Array, vocabSize: number): number {
  const counts = new Float64Array(vocabSize);
  for (const id of ids) counts[id]!++;
  let entropy = 0;
  for (const c of counts) {
    if (c > 0) {
      const p = c / ids.length;
      entropy -= p * Math.log(p);
    }
  }
  return Math.exp(entropy);
}

/** One batch of next-character windows: int32 `[batch, time]`, targets shifted by one. */
export interface StreamBatch {
  readonly inputs: jt.Array;
  readonly targets: jt.Array;
}

/**
 * Cuts `ids` into `batchSize` contiguous streams and walks them in windows of `length`:
 * row `b` of batch `i + 1` continues row `b` of batch `i` in the text, so the LSTM state
 * can be carried from one batch to the next (truncated backpropagation through time).
 * The characters that do not fill a whole window in every stream are dropped.
 * @example
 * const s = streamBatches(ids, { batchSize: 32, length: 64 });
 * for (let i = 0; i < s.steps; i++) step(s.batch(i));
 */
export function streamBatches(
  ids: Int32Array,
  o: { readonly batchSize: number; readonly length: number },
): { readonly steps: number; batch(i: number): StreamBatch } {
  const { batchSize: B, length: T } = o;
  // Each stream needs one character beyond its windows for the last target.
  const streamLength = Math.floor((ids.length - 1) / B);
  const steps = Math.max(0, Math.floor(streamLength / T));
  return {
    steps,
    batch(i) {
      const inputs = new Int32Array(B * T);
      const targets = new Int32Array(B * T);
      for (let b = 0; b < B; b++) {
        const start = b * streamLength + i * T;
        inputs.set(ids.subarray(start, start + T), b * T);
        targets.set(ids.subarray(start + 1, start + T + 1), b * T);
      }
      return {
        inputs: jt.array(inputs, { shape: [B, T], dtype: 'int32' }),
        targets: jt.array(targets, { shape: [B, T], dtype: 'int32' }),
      };
    },
  };
}

/**
 * The `count` training characters of epoch `epoch`: consecutive epochs take consecutive
 * slices of the text (wrapping around), so a per-epoch limit still covers all of it.
 * @example epochSlice(ids, 2, 100_000) // ids[200_000 .. 300_000) when ids is long enough
 */
export function epochSlice(ids: Int32Array, epoch: number, count: number): Int32Array {
  if (count >= ids.length) return ids;
  const start = (epoch * count) % ids.length;
  if (start + count <= ids.length) return ids.subarray(start, start + count);
  const out = new Int32Array(count);
  out.set(ids.subarray(start));
  out.set(ids.subarray(0, count - (ids.length - start)), ids.length - start);
  return out;
}
