import * as data from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describeNonFinite, firstNonFinite } from './finite';
import { type AppError, appError } from './text-corpus';

/**
 * What a character-level app's checkpoint records besides the tensors and the model's
 * architecture fields (`C`), stored as safetensors metadata.
 */
export type TextCheckpointMeta<C extends { readonly vocabSize: number }> = C & {
  /** The vocabulary's characters in id order (a JSON string array in the file). */
  readonly chars: readonly string[];
  /** Completed epochs. */
  readonly epoch: number;
  /** Completed training steps. */
  readonly step: number;
  /** Validation loss (nats per character) after the last epoch. */
  readonly validationLoss: number;
};

/** A checkpoint read from disk: its metadata, the vocabulary and the model it belongs to. */
export interface LoadedTextCheckpoint<C extends { readonly vocabSize: number }, M> {
  readonly meta: TextCheckpointMeta<C>;
  readonly vocab: data.CharVocab;
  readonly model: M;
  /** Restores the tensors into the structure of `template` (e.g. `{ params }` or `{ params, optState }`). */
  restore<T>(template: T): E.Either<AppError, T>;
}

/** The names of a model's architecture fields besides `vocabSize` (its flags and metadata keys). */
export type ArchitectureField<C> = Exclude<keyof C & string, 'vocabSize'>;

/** How one app's checkpoints differ from another's: its name, architecture and model. */
export interface TextCheckpointFormat<C extends { readonly vocabSize: number }, M> {
  /** The `app` metadata value, `jute-` and the app's directory (`jute-text-lstm`); a file naming another app is refused. */
  readonly app: string;
  /** The architecture fields besides `vocabSize`, in the order they are written. */
  readonly fields: readonly ArchitectureField<C>[];
  /** Reads those fields back from the metadata; `undefined` when one is missing or invalid. */
  readonly parse: (metadata: Readonly<Record<string, string>>) => Omit<C, 'vocabSize'> | undefined;
  /** What the architecture is called in the corrupt-metadata message (`layer sizes`). */
  readonly architecture: string;
  /** Builds the model a checkpoint's metadata describes. */
  readonly model: (config: C) => M;
}

/** A checkpoint format's reader and writer, of training states `S` (`{ params, optState }`). */
export interface TextCheckpoints<C extends { readonly vocabSize: number }, M, S = unknown> {
  /** Builds the model an architecture describes (the format's `model`). */
  readonly model: (config: C) => M;
  /**
   * Writes a training state atomically (a temporary file renamed into place), with the
   * vocabulary and the architecture in the metadata so that sampling needs neither the
   * corpus nor flags.
   */
  save(path: string, train: S, meta: TextCheckpointMeta<C>): TE.TaskEither<AppError, void>;
  /**
   * Reads a checkpoint written by `save`; a file that is not one, whose tensors do not
   * fit the architecture its metadata names, or that holds NaN or infinite values (the
   * weights of a diverged run), is an error naming the file and the problem.
   */
  load(path: string): TE.TaskEither<AppError, LoadedTextCheckpoint<C, M>>;
}

/**
 * A metadata value that must be a whole number above zero, or `undefined`.
 * @example positiveInt('64') // 64; positiveInt('0'), positiveInt('1.5'), positiveInt(undefined) // undefined
 */
export const positiveInt = (v: string | undefined): number | undefined => {
  const n = Number(v);
  return v !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
};

const fromData = (e: data.DataError): AppError => appError(data.formatDataError(e));

/** The vocabulary as a list of distinct single characters, as many as `vocabSize` says. */
function parseChars(m: Readonly<Record<string, string>>): string[] | undefined {
  let chars: unknown;
  try {
    chars = JSON.parse(m.vocab ?? '');
  } catch {
    return undefined;
  }
  return Array.isArray(chars) &&
    chars.length === positiveInt(m.vocabSize) &&
    chars.every((c) => typeof c === 'string' && [...c].length === 1) &&
    new Set(chars).size === chars.length
    ? chars
    : undefined;
}

/**
 * The checkpoints of one character-level app: safetensors files of `{ params, optState }`
 * whose metadata names the app, the vocabulary, the architecture and the progress.
 * @example
 * const ckpt = textCheckpoints({ app: 'jute-text-lstm', fields: ['embed', 'hidden'], parse, architecture: 'layer sizes', model: charLstm });
 * await ckpt.save('lstm.safetensors', { params, optState }, { ...config, chars, epoch: 1, step: 100, validationLoss: 1.6 })();
 */
export function textCheckpoints<C extends { readonly vocabSize: number }, M, S = unknown>(
  format: TextCheckpointFormat<C, M>,
): TextCheckpoints<C, M, S> {
  const name = format.app.replace(/^jute-/, '');

  function parseMeta(
    path: string,
    m: Readonly<Record<string, string>>,
  ): E.Either<AppError, TextCheckpointMeta<C>> {
    if (m.app !== format.app)
      return E.left(
        appError(
          `${path}: not a ${name} checkpoint (${m.app ? `written by ${m.app}` : 'no app in its metadata'})`,
        ),
      );
    const chars = parseChars(m);
    const architecture = format.parse(m);
    if (chars === undefined || architecture === undefined)
      return E.left(
        appError(`${path}: corrupt checkpoint metadata (vocabulary or ${format.architecture})`),
      );
    // Ids are positions in code-point order; a reordered list would scramble them.
    if (data.charVocab(chars.join('')).chars.some((c, i) => c !== chars[i]))
      return E.left(appError(`${path}: corrupt checkpoint metadata (vocabulary order)`));
    return E.right({
      chars,
      vocabSize: chars.length,
      ...architecture,
      epoch: Number(m.epoch ?? 0),
      step: Number(m.step ?? 0),
      validationLoss: Number(m.validationLoss ?? Number.NaN),
    } as unknown as TextCheckpointMeta<C>);
  }

  // A diverged run's weights sample garbage (or crash): refuse them, naming the tensor.
  const finite = (path: string, tensors: Readonly<Record<string, unknown>>) => {
    const bad = firstNonFinite(tensors);
    return bad === undefined
      ? E.right(undefined)
      : E.left(
          appError(`${path}: the checkpoint holds non-finite values: ${describeNonFinite(bad)}`),
        );
  };

  return {
    model: format.model,
    save: (path, train, meta) =>
      pipe(
        data.writeSafetensors(path, train, {
          metadata: {
            app: format.app,
            vocab: JSON.stringify(meta.chars),
            vocabSize: meta.vocabSize,
            ...Object.fromEntries(format.fields.map((k) => [k, meta[k] as string | number])),
            epoch: meta.epoch,
            step: meta.step,
            validationLoss: meta.validationLoss,
          },
        }),
        TE.mapLeft(fromData),
      ),
    load: (path) =>
      pipe(
        data.readSafetensors(path),
        TE.mapLeft(fromData),
        TE.flatMapEither(({ tensors, metadata }) =>
          pipe(
            finite(path, tensors),
            E.flatMap(() => parseMeta(path, metadata)),
            E.map((meta) => ({
              meta,
              vocab: data.charVocab(meta.chars.join('')),
              model: format.model(meta),
              restore: <T>(template: T) =>
                pipe(
                  data.restoreInto(template, tensors, { strict: false }),
                  E.mapLeft((e) =>
                    appError(
                      `${path}: tensors do not match the architecture in its metadata (${data.formatDataError(e)})`,
                    ),
                  ),
                ),
            })),
          ),
        ),
      ),
  };
}

/**
 * Why a checkpoint cannot continue a run with `config` on `vocab`: the architecture flags
 * that differ (all of `fields` with `mention: 'all'`, else only the differing ones), or
 * another character set; `undefined` when it can.
 * @example resumeConflict('a.safetensors', meta, config, vocab, ['dim', 'heads']) // AppError('a.safetensors has --dim 8, not --dim 16')
 */
export function resumeConflict<C extends { readonly vocabSize: number }>(
  path: string,
  meta: TextCheckpointMeta<C>,
  config: C,
  vocab: data.CharVocab,
  fields: readonly ArchitectureField<C>[],
  mention: 'all' | 'differing' = 'differing',
): AppError | undefined {
  const differs = fields.filter((k) => meta[k] !== config[k]);
  if (differs.length > 0) {
    const named = mention === 'all' ? fields : differs;
    const flags = (c: C) => named.map((k) => `--${k} ${c[k]}`).join(' ');
    return appError(`${path} has ${flags(meta)}, not ${flags(config)}`);
  }
  if (meta.chars.join('') !== vocab.chars.join(''))
    return appError(`${path} was trained on a corpus with a different character set`);
  return undefined;
}
