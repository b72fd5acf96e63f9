import { readFile } from 'node:fs/promises';
import { buildModel, type ModelKind } from '@jute/app-kit/mnist-model';
import type * as datasets from '@jute/datasets';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type AppError, appError, loadCheckpoint } from './checkpoint';
import { pngToDigit } from './image';

export interface PredictOptions {
  readonly checkpoint: string;
  readonly model: ModelKind;
  readonly source:
    | { readonly png: string }
    | { readonly index: number; readonly load: () => Promise<datasets.Mnist> };
}

export interface Prediction {
  readonly digit: number;
  readonly probabilities: readonly number[];
  readonly label?: number;
}

function imageFrom(
  source: PredictOptions['source'],
): TE.TaskEither<AppError, { image: jt.Array; label?: number }> {
  if ('png' in source) {
    return pipe(
      TE.tryCatch(
        () => readFile(source.png),
        // Node's ENOENT message repeats the path; say it once, as checkpoint errors do.
        (e) =>
          appError(
            `${source.png}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
          ),
      ),
      TE.flatMapEither((bytes) =>
        pipe(
          pngToDigit(bytes, source.png),
          E.mapLeft((e) => appError(e.message)),
        ),
      ),
      TE.map((pixels) => ({ image: jt.array(pixels, { shape: [1, 28, 28, 1] }) })),
    );
  }
  return pipe(
    TE.tryCatch(source.load, (e) => appError(String(e))),
    TE.flatMapEither((mnist) => {
      const n = mnist.test.labels.shape[0]!;
      if (source.index >= n)
        return E.left(
          appError(`--index ${source.index} is out of range: the test split has ${n} images`),
        );
      return E.right({
        image: jt.slice(mnist.test.images, [source.index], [source.index + 1]),
        label: Number(jt.slice(mnist.test.labels, [source.index], [source.index + 1]).item()),
      });
    }),
  );
}

/** Classifies one image with a trained checkpoint. */
export function predict(o: PredictOptions): TE.TaskEither<AppError, Prediction> {
  const model = buildModel(o.model);
  const { params, state } = model.init(jt.random.key(0), [1, 28, 28, 1]);
  return pipe(
    loadCheckpoint(o.checkpoint, { params, state }, o.model),
    TE.flatMap(({ train }) =>
      pipe(
        imageFrom(o.source),
        TE.flatMapEither(({ image, label }) => {
          const { y } = model.apply(train.params, image, {
            state: train.state,
            training: false,
          });
          const probabilities = jt.softmax(y).data();
          const probs = Array.from(probabilities);
          // NaN anywhere makes max NaN and indexOf -1: never print "digit -1".
          if (!probs.every(Number.isFinite))
            return E.left(appError('the model produced non-finite outputs for this image'));
          const digit = probs.indexOf(Math.max(...probs));
          return E.right(
            label === undefined
              ? { digit, probabilities: probs }
              : { digit, probabilities: probs, label },
          );
        }),
      ),
    ),
  );
}
