import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** An error a text app reports as one line (bad input, unreadable files, wrong checkpoints). */
export interface AppError {
  readonly _tag: 'AppError';
  readonly message: string;
}

/** Wraps a message as an {@link AppError}. @example appError('--prompt is empty') */
export const appError = (message: string): AppError => ({ _tag: 'AppError', message });

/** The corpus encoded with its vocabulary and split into training and validation ids. */
export interface Corpus {
  readonly vocab: data.CharVocab;
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

/**
 * Loads a UTF-8 text (the embedded *Moby-Dick* by default), builds its character
 * vocabulary and holds out the last `validationFraction` of it for validation. The
 * character-level apps share it, so they train and score on the same split.
 * @example const corpus = await loadCorpus({ validationFraction: 0.1, minChars: 65 })();
 */
export const loadCorpus = (o: {
  readonly path?: string;
  readonly validationFraction: number;
  readonly minChars: number;
}): TE.TaskEither<AppError, Corpus> =>
  pipe(
    o.path === undefined ? datasets.loadMobyDick() : data.loadTextCorpus(o.path),
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

/**
 * Encodes a sampling prompt, naming every character the vocabulary lacks.
 * @example encodePrompt(vocab, 'Call me ') // Right(Int32Array) or Left('--prompt has a character outside ...')
 */
export function encodePrompt(
  vocab: data.CharVocab,
  prompt: string,
): E.Either<AppError, Int32Array> {
  if (prompt.length === 0)
    return E.left(appError('--prompt is empty; give at least one character'));
  const unknown = [...new Set([...prompt].filter((c) => vocab.idOf(c) === undefined))];
  if (unknown.length > 0)
    return E.left(
      appError(
        `--prompt has ${unknown.length === 1 ? 'a character' : 'characters'} outside the vocabulary: ${unknown.map((c) => JSON.stringify(c)).join(', ')}`,
      ),
    );
  return E.mapLeft(() => appError('--prompt cannot be encoded'))(vocab.encode(prompt));
}
