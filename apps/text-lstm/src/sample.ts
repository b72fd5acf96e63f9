import { encodePrompt } from '@jute/app-kit/text-corpus';
import type * as data from '@jute/data';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { type AppError, appError } from './errors';
import type { CharLstm, CharLstmParams } from './model';

/**
 * The most characters one call generates: 100,000. Each costs a forward step and the
 * keys are drawn up front, so `--length 1e8` used to exhaust the heap after a minute.
 */
export const MAX_SAMPLE_LENGTH = 100_000;

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Text to start from; every character must be in the vocabulary. */
  readonly prompt: string;
  /** Characters to generate after the prompt. */
  readonly length: number;
  /** Softmax temperature; 0 picks the most likely character at every step. */
  readonly temperature: number;
  readonly key: jt.Array;
  /** Called with each generated character as soon as it is drawn (to stream it). */
  readonly onChar?: (char: string) => void;
}

/**
 * Generates text: feeds the prompt through the LSTM, then draws one character at a time
 * from `softmax(logits / temperature)` with `jt.random.categorical` (argmax at temperature
 * 0), feeding each back in. Returns the generated characters (without the prompt).
 * @example
 * const text = sample(model, params, vocab, { prompt: 'Call me ', length: 200, temperature: 0.8, key });
 */
export function sample(
  model: CharLstm,
  params: CharLstmParams,
  vocab: data.CharVocab,
  o: SampleOptions,
): E.Either<AppError, string> {
  if (!(Number.isInteger(o.length) && o.length >= 0 && o.length <= MAX_SAMPLE_LENGTH))
    return E.left(
      appError(`--length must be an integer from 0 to ${MAX_SAMPLE_LENGTH}, got ${o.length}`),
    );
  const ids = encodePrompt(vocab, o.prompt);
  if (E.isLeft(ids)) return ids;
  const prompt = jt.array(ids.right, { shape: [1, ids.right.length], dtype: 'int32' });
  const fed = model.apply(params, prompt);
  let carry = fed.carry;
  let logits = jt.reshape(
    jt.slice(fed.logits, [0, ids.right.length - 1, 0], [1, ids.right.length, vocab.size]),
    [1, vocab.size],
  );
  const keys = o.length > 0 ? jt.random.split(o.key, o.length) : [];
  let out = '';
  for (let i = 0; i < o.length; i++) {
    const next =
      o.temperature === 0
        ? jt.argmax(logits, { axis: -1 })
        : jt.random.categorical(keys[i]!, jt.div(logits, o.temperature));
    const id = jt.cast(next, 'int32');
    const char = vocab.decode(id);
    out += char;
    o.onChar?.(char);
    if (i + 1 < o.length) ({ logits, carry } = model.step(params, carry, id));
  }
  return E.right(out);
}
