import { describeNonFinite, firstNonFinite } from '@jute/app-kit';
import * as data from '@jute/data';
import type * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type AppError, appError } from './errors';
import { type CharLstm, type CharLstmParams, charLstm, type ModelConfig } from './model';

const APP = 'jute-text-lstm';

/** Everything training needs to continue where it stopped. */
export interface TrainState {
  readonly params: CharLstmParams;
  readonly optState: jt.PyTree;
}

/** What a checkpoint records besides the tensors (stored as safetensors metadata). */
export interface CheckpointMeta extends ModelConfig {
  /** The vocabulary's characters in id order (a JSON string array in the file). */
  readonly chars: readonly string[];
  /** Completed epochs. */
  readonly epoch: number;
  /** Completed optimisation steps. */
  readonly step: number;
  /** Validation loss (nats per character) after the last epoch. */
  readonly validationLoss: number;
}

/** A checkpoint read from disk: its metadata, the vocabulary and the model it belongs to. */
export interface LoadedCheckpoint {
  readonly meta: CheckpointMeta;
  readonly vocab: data.CharVocab;
  readonly model: CharLstm;
  /** Restores the tensors into the structure of `template` (e.g. `{ params }` or a full {@link TrainState}). */
  restore<T>(template: T): E.Either<AppError, T>;
}

const fromData = (e: data.DataError): AppError => appError(data.formatDataError(e));

/**
 * Writes parameters and optimizer state atomically (a temporary file renamed into
 * place), with the vocabulary and layer sizes in the metadata so that sampling needs
 * neither the corpus nor flags.
 * @example await saveCheckpoint('lstm.safetensors', { params, optState }, meta)();
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
        embed: meta.embed,
        hidden: meta.hidden,
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
        `${path}: not a text-lstm checkpoint (${m.app ? `written by ${m.app}` : 'no app in its metadata'})`,
      ),
    );
  let chars: unknown;
  try {
    chars = JSON.parse(m.vocab ?? '');
  } catch {
    chars = undefined;
  }
  const vocabSize = positiveInt(m.vocabSize);
  const embed = positiveInt(m.embed);
  const hidden = positiveInt(m.hidden);
  if (
    !Array.isArray(chars) ||
    chars.length !== vocabSize ||
    !chars.every((c) => typeof c === 'string' && [...c].length === 1) ||
    new Set(chars).size !== chars.length ||
    embed === undefined ||
    hidden === undefined
  )
    return E.left(appError(`${path}: corrupt checkpoint metadata (vocabulary or layer sizes)`));
  return E.right({
    chars,
    vocabSize,
    embed,
    hidden,
    epoch: Number(m.epoch ?? 0),
    step: Number(m.step ?? 0),
    validationLoss: Number(m.validationLoss ?? Number.NaN),
  });
}

/** A diverged run's weights sample garbage (or crash): refuse them, naming the tensor. */
function finiteTensors(path: string, tensors: Readonly<Record<string, jt.Array>>) {
  const bad = firstNonFinite(tensors);
  return bad === undefined
    ? E.right(tensors)
    : E.left(
        appError(`${path}: the checkpoint holds non-finite values: ${describeNonFinite(bad)}`),
      );
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}; a file that is not one, whose
 * tensors do not fit the architecture its metadata names, or that holds NaN or infinite
 * values, is an error naming the problem.
 * @example
 * const ckpt = await loadCheckpoint('lstm.safetensors')();
 * if (E.isRight(ckpt)) ckpt.right.restore({ params: ckpt.right.model.init(jt.random.key(0)) });
 */
export const loadCheckpoint = (path: string): TE.TaskEither<AppError, LoadedCheckpoint> =>
  pipe(
    data.readSafetensors(path),
    TE.mapLeft(fromData),
    TE.flatMapEither(({ tensors, metadata }) =>
      pipe(
        finiteTensors(path, tensors),
        E.flatMap(() => parseMeta(path, metadata)),
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
          model: charLstm(meta),
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
