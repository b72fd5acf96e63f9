import { type AppError, encodePrompt } from '@jute/app-kit/text-corpus';
import type * as data from '@jute/data';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { compile } from './compile';
import type { CharGpt, GptCache, GptParams } from './model';

/** How the next character is drawn from the logits. */
export interface Sampling {
  /** Softmax temperature; 0 always takes the likeliest character. */
  readonly temperature: number;
  /** Draw only among the `topK` likeliest characters (default: all). */
  readonly topK?: number;
}

/** Options of {@link sample}. */
export interface SampleOptions extends Sampling {
  /** Text to start from; every character must be in the vocabulary. */
  readonly prompt: string;
  /** Characters to generate after the prompt. */
  readonly length: number;
  readonly key: jt.Array;
  /** Decode with the key/value cache (default true); without it every step re-reads the window. */
  readonly cache?: boolean;
  /** Compile the cached decoding step with `jit` (default true). */
  readonly jit?: boolean;
  /** Called with each generated character as soon as it is drawn (to stream it). */
  readonly onChar?: (char: string) => void;
}

/**
 * The id drawn from the last position's logits `[1, vocab]`: argmax at temperature 0, else
 * `jt.random.categorical(logits / temperature)` over the `topK` likeliest ids.
 */
export function pick(logits: jt.Array, s: Sampling, key: jt.Array): jt.Array {
  if (s.temperature === 0) return jt.cast(jt.argmax(logits, { axis: -1 }), 'int32');
  let l = jt.div(logits, s.temperature);
  const vocab = logits.shape[logits.ndim - 1]!;
  if (s.topK !== undefined && s.topK < vocab) {
    const [top] = jt.topK(l, s.topK);
    const kth = jt.slice(top, [0, s.topK - 1], [top.shape[0]!, s.topK]);
    l = jt.where(jt.greaterEqual(l, kth), l, -1e30);
  }
  return jt.cast(jt.random.categorical(key, l), 'int32');
}

const lastLogits = (logits: jt.Array) => {
  const [b, t, v] = logits.shape as [number, number, number];
  return jt.reshape(jt.slice(logits, [0, t - 1, 0], [b, t, v]), [b, v]);
};

/** The model on the cache: `(params, cache, ids [1, t]) → [cache, last logits [1, vocab]]`. */
export type CachedStep = (
  params: GptParams,
  cache: GptCache,
  ids: jt.Array,
) => [GptCache, jt.Array];

/** The model without a cache: `(params, window [1, t]) → last logits [1, vocab]`. */
export type UncachedStep = (params: GptParams, window: jt.Array) => jt.Array;

/**
 * The decoding steps as pure functions. The cached one is compiled (one program per prompt
 * length, then one for every single-character step); the uncached one stays eager, since
 * each window length would be a new program. Drawing the character stays outside.
 */
export function makeDecodeSteps(
  model: CharGpt,
  o: { readonly jit?: boolean } = {},
): { cached: CachedStep; uncached: UncachedStep } {
  const cached: CachedStep = (params, cache, ids) => {
    const r = model.apply(params, ids, { cache });
    return [r.cache!, lastLogits(r.logits)];
  };
  const uncached: UncachedStep = (params, window) => lastLogits(model.apply(params, window).logits);
  return { cached: compile(cached, o.jit ?? true), uncached };
}

const row = (ids: readonly number[]) =>
  jt.array(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });

/**
 * Generates text after a prompt. With the cache, the prompt is read once and each new
 * character costs one position of attention over the cached keys and values; when the
 * cache is full (`context` positions), it is refilled from the last `context / 2`
 * characters. Without it, every character re-reads the last `context` characters. While
 * prompt and text fit in `context`, both draw the same characters from the same key.
 * Returns the generated text (without the prompt).
 * @example
 * const text = sample(model, params, vocab, { prompt: 'Call me ', length: 200, temperature: 0.8, topK: 10, key });
 */
export function sample(
  model: CharGpt,
  params: GptParams,
  vocab: data.CharVocab,
  o: SampleOptions,
): E.Either<AppError, string> {
  const encoded = encodePrompt(vocab, o.prompt);
  if (E.isLeft(encoded)) return encoded;
  const T = model.config.context;
  const steps = makeDecodeSteps(model, { jit: o.jit ?? true });
  const ids = [...encoded.right].slice(-T);
  const keys = o.length > 0 ? jt.random.split(o.key, o.length) : [];
  let out = '';
  const emit = (next: jt.Array) => {
    const id = Number(next.item());
    ids.push(id);
    const char = vocab.decode(Int32Array.of(id));
    out += char;
    o.onChar?.(char);
  };
  if (o.cache === false) {
    for (let i = 0; i < o.length; i++)
      emit(pick(steps.uncached(params, row(ids.slice(-T))), o, keys[i]!));
    return E.right(out);
  }
  const fill = (window: readonly number[]) =>
    steps.cached(params, model.initCache(params, 1, T), row(window));
  let [cache, logits] = o.length > 0 ? fill(ids) : [undefined, undefined];
  let used = ids.length;
  for (let i = 0; i < o.length; i++) {
    emit(pick(logits!, o, keys[i]!));
    if (i + 1 === o.length) break;
    if (used === T) {
      const window = ids.slice(-Math.floor(T / 2));
      [cache, logits] = fill(window);
      used = window.length;
    } else {
      [cache, logits] = steps.cached(params, cache!, row(ids.slice(-1)));
      used++;
    }
  }
  return E.right(out);
}
