import { describeNonFinite, firstNonFinite } from '@jute/app-kit';
import type { ModelKind } from '@jute/app-kit/mnist-model';
import * as data from '@jute/data';
import type * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** Everything training needs to continue where it stopped. */
export interface TrainState {
  readonly params: jt.PyTree;
  readonly state: jt.PyTree;
  readonly optState: jt.PyTree;
}

export interface CheckpointMeta {
  readonly model: ModelKind;
  readonly epoch: number;
  readonly step: number;
}

export interface AppError {
  readonly _tag: 'AppError';
  readonly message: string;
}

export const appError = (message: string): AppError => ({ _tag: 'AppError', message });
const fromData = (e: data.DataError): AppError => appError(data.formatDataError(e));

/** Writes parameters, batch-norm state and optimizer state atomically. */
export const saveCheckpoint = (
  path: string,
  train: TrainState,
  meta: CheckpointMeta,
): TE.TaskEither<AppError, void> =>
  pipe(
    data.writeSafetensors(path, train, { metadata: { ...meta, app: 'jute-mnist' } }),
    TE.mapLeft(fromData),
  );

/**
 * Reads a checkpoint into the structure of `template`; a checkpoint of another model or
 * architecture, or one holding NaN or infinite values, is an error naming the problem.
 */
export const loadCheckpoint = <T extends Partial<TrainState>>(
  path: string,
  template: T,
  model: ModelKind,
): TE.TaskEither<AppError, { train: T; meta: CheckpointMeta }> =>
  pipe(
    data.readSafetensors(path),
    TE.mapLeft(fromData),
    TE.flatMapEither(({ tensors, metadata }) => {
      // A diverged run's weights would still "predict" (argmax over NaN is -1 or 0).
      const bad = firstNonFinite(tensors);
      if (bad !== undefined)
        return E.left(
          appError(`${path}: the checkpoint holds non-finite values: ${describeNonFinite(bad)}`),
        );
      if (metadata.model !== undefined && metadata.model !== model) {
        return E.left(
          appError(`${path}: checkpoint is for --model ${metadata.model}, not ${model}`),
        );
      }
      return pipe(
        data.restoreInto(template, tensors, { strict: false }),
        E.mapLeft((e) =>
          appError(`${path}: not a checkpoint of this model (${data.formatDataError(e)})`),
        ),
        E.map((train) => ({
          train,
          meta: { model, epoch: Number(metadata.epoch ?? 0), step: Number(metadata.step ?? 0) },
        })),
      );
    }),
  );
