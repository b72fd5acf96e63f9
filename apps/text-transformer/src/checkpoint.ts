import { type AppError, appError } from '@jute/app-kit/text-corpus';
import * as data from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type CharGpt, charGpt, type GptConfig } from './model';
import type { TrainState } from './train';

const APP = 'jute-text-transformer';

/** What a checkpoint records besides the tensors (stored as safetensors metadata). */
export interface CheckpointMeta extends GptConfig {
  /** The vocabulary's characters in id order (a JSON string array in the file). */
  readonly chars: readonly string[];
  /** Completed epochs. */
  readonly epoch: number;
  /** Completed micro-batch steps. */
  readonly step: number;
  /** Validation loss (nats per character) after the last epoch. */
  readonly validationLoss: number;
}

/** A checkpoint read from disk: its metadata, the vocabulary and the model it belongs to. */
export interface LoadedCheckpoint {
  readonly meta: CheckpointMeta;
  readonly vocab: data.CharVocab;
  readonly model: CharGpt;
  /** Restores the tensors into the structure of `template` (`{ params }` or a full {@link TrainState}). */
  restore<T>(template: T): E.Either<AppError, T>;
}

const fromData = (e: data.DataError): AppError => appError(data.formatDataError(e));

/**
 * Writes parameters and optimizer state atomically (a temporary file renamed into place),
 * with the vocabulary and the architecture in the metadata, so sampling needs neither the
 * corpus nor flags.
 * @example await saveCheckpoint('gpt.safetensors', { params, optState }, meta)();
 */
export const saveCheckpoint = (
  path: string,
  train: TrainState,
  meta: CheckpointMeta,
): TE.TaskEither<AppError, void> =>
  pipe(
    data.writeSafetensors(path, train, {
      metadata: {
        app: APP,
        vocab: JSON.stringify(meta.chars),
        vocabSize: meta.vocabSize,
        context: meta.context,
        dim: meta.dim,
        layers: meta.layers,
        heads: meta.heads,
        mlp: meta.mlp,
        positions: meta.positions,
        epoch: meta.epoch,
        step: meta.step,
        validationLoss: meta.validationLoss,
      },
    }),
    TE.mapLeft(fromData),
  );

const positiveInt = (v: string | undefined): number | undefined => {
  const n = Number(v);
  return v !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
};

function parseMeta(
  path: string,
  m: Readonly<Record<string, string>>,
): E.Either<AppError, CheckpointMeta> {
  if (m.app !== APP)
    return E.left(
      appError(
        `${path}: not a text-transformer checkpoint (${m.app ? `written by ${m.app}` : 'no app in its metadata'})`,
      ),
    );
  let chars: unknown;
  try {
    chars = JSON.parse(m.vocab ?? '');
  } catch {
    chars = undefined;
  }
  const sizes = {
    vocabSize: positiveInt(m.vocabSize),
    context: positiveInt(m.context),
    dim: positiveInt(m.dim),
    layers: positiveInt(m.layers),
    heads: positiveInt(m.heads),
  };
  const { vocabSize, context, dim, layers, heads } = sizes;
  if (
    !Array.isArray(chars) ||
    chars.length !== vocabSize ||
    !chars.every((c) => typeof c === 'string' && [...c].length === 1) ||
    new Set(chars).size !== chars.length ||
    context === undefined ||
    dim === undefined ||
    layers === undefined ||
    heads === undefined ||
    dim % heads !== 0 ||
    (m.mlp !== 'gelu' && m.mlp !== 'swiglu') ||
    (m.positions !== 'rope' && m.positions !== 'learned')
  )
    return E.left(appError(`${path}: corrupt checkpoint metadata (vocabulary or architecture)`));
  return E.right({
    chars,
    vocabSize,
    context,
    dim,
    layers,
    heads,
    mlp: m.mlp,
    positions: m.positions,
    epoch: Number(m.epoch ?? 0),
    step: Number(m.step ?? 0),
    validationLoss: Number(m.validationLoss ?? Number.NaN),
  });
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}; a file that is not one, or whose
 * tensors do not fit the architecture its metadata names, is an error naming the problem.
 * @example
 * const ckpt = await loadCheckpoint('gpt.safetensors')();
 * if (E.isRight(ckpt)) ckpt.right.restore({ params: ckpt.right.model.init(jt.random.key(0)) });
 */
export const loadCheckpoint = (path: string): TE.TaskEither<AppError, LoadedCheckpoint> =>
  pipe(
    data.readSafetensors(path),
    TE.mapLeft(fromData),
    TE.flatMapEither(({ tensors, metadata }) =>
      pipe(
        parseMeta(path, metadata),
        E.flatMap((meta) => {
          const vocab = data.charVocab(meta.chars.join(''));
          // Ids are positions in code-point order; a reordered list would scramble them.
          if (vocab.chars.some((c, i) => c !== meta.chars[i]))
            return E.left(appError(`${path}: corrupt checkpoint metadata (vocabulary order)`));
          return E.right({ meta, vocab });
        }),
        E.map(({ meta, vocab }) => ({
          meta,
          vocab,
          model: charGpt(meta),
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
  );
