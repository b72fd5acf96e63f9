import { writeFile } from 'node:fs/promises';
import type * as data from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { fail, userPath } from './cli';
import { type ArchitectureField, resumeConflict, type TextCheckpoints } from './text-checkpoint';
import { type AppError, appError, type Corpus, encodePrompt, loadCorpus } from './text-corpus';
import { formatTextReport, type TextEpochStats, type TextReport } from './text-report';

/** A model of the character apps, as far as starting a run needs it. */
interface Initialisable {
  init(key: never): unknown;
}
type KeyOf<M extends Initialisable> = Parameters<M['init']>[0];
type ParamsOf<M extends Initialisable> = ReturnType<M['init']>;

/** `--corpus`, `--out` and `--resume`: the files of a training run, alike in every character app. */
export const runFileFlags = {
  corpus: { type: 'string', help: 'UTF-8 text file to train on (default: the embedded Moby-Dick)' },
  out: { type: 'string', help: 'Checkpoint (safetensors) written atomically after each epoch' },
  resume: { type: 'string', help: 'Continue training from this checkpoint' },
} as const;

/** `--checkpoint` and `--prompt`: what `sample` starts from. */
export const sampleFromFlags = {
  checkpoint: { type: 'string', help: 'Checkpoint written by training (--out)' },
  prompt: { type: 'string', help: 'Text to start from', default: 'The ' },
} as const;

/** `--temperature` of `sample`. */
export const temperatureFlag = {
  type: 'number',
  help: 'Softmax temperature; 0 always takes the likeliest character',
  default: 0.8,
  min: 0,
} as const;

/** The share of the text held out for validation: the apps score on the same split. */
const VALIDATION_FRACTION = 0.1;

/**
 * The training text of `--corpus` (the embedded *Moby-Dick* without it), its last tenth
 * held out for validation; `minChars` is the least that training can use.
 * @example const corpus = await loadTrainingCorpus(f.corpus, f.seqLen + 1)();
 */
export const loadTrainingCorpus = (
  corpus: string | undefined,
  minChars: number,
): TE.TaskEither<AppError, Corpus> =>
  loadCorpus({
    ...(corpus ? { path: userPath(corpus) } : {}),
    validationFraction: VALIDATION_FRACTION,
    minChars,
  });

/** Where a run starts: its architecture, its state, and the epochs and steps already done. */
export interface TrainStart<C, S> {
  readonly config: C;
  readonly state: S;
  readonly epoch: number;
  readonly step: number;
}

/** Options of {@link startTraining}. */
export interface StartOptions<
  C extends { readonly vocabSize: number },
  M extends Initialisable,
  O,
> {
  readonly checkpoints: TextCheckpoints<C, M>;
  /** `--resume` as the user typed it (messages quote it; the file is found with `userPath`). */
  readonly resume: string | undefined;
  /** The architecture the flags ask for. */
  readonly config: C;
  /** The corpus's vocabulary: a checkpoint trained on other characters cannot continue. */
  readonly vocab: data.CharVocab;
  /** The initialisation key (a restored checkpoint still needs a template of the same shapes). */
  readonly key: KeyOf<M>;
  readonly initOptimizer: (params: ParamsOf<M>) => O;
  /** The architecture flags a resumed run must repeat, in the order the message names them. */
  readonly fields: readonly ArchitectureField<C>[];
  /** Whether a conflict names all of `fields` or only those that differ (the default). */
  readonly mention?: 'all' | 'differing';
}

/**
 * Fresh parameters and optimizer state, or (with `resume`) those of a checkpoint whose
 * architecture and character set match the run's, announcing the resumed epoch on stderr.
 * @example const start = await startTraining({ checkpoints, resume: f.resume, config, vocab, key, initOptimizer: opt.init, fields: ['dim'] })();
 */
export function startTraining<C extends { readonly vocabSize: number }, M extends Initialisable, O>(
  o: StartOptions<C, M, O>,
): TE.TaskEither<AppError, TrainStart<C, { params: ParamsOf<M>; optState: O }>> {
  const fresh = (model: M) => {
    const params = model.init(o.key) as ParamsOf<M>;
    return { params, optState: o.initOptimizer(params) };
  };
  const resume = o.resume;
  if (resume === undefined)
    return TE.right({
      config: o.config,
      state: fresh(o.checkpoints.model(o.config)),
      epoch: 0,
      step: 0,
    });
  return pipe(
    o.checkpoints.load(userPath(resume)),
    TE.flatMapEither((ckpt) => {
      const { meta, model } = ckpt;
      const conflict = resumeConflict(resume, meta, o.config, o.vocab, o.fields, o.mention);
      if (conflict) return E.left(conflict);
      return pipe(
        ckpt.restore(fresh(model)),
        E.map((state) => ({ config: meta as C, state, epoch: meta.epoch, step: meta.step })),
      );
    }),
    TE.tap((start) =>
      TE.fromIO(() => console.error(`resumed from ${resume} after epoch ${start.epoch}`)),
    ),
  );
}

/** Where a run writes: `--out` (the checkpoint) and `--plot` (the learning curves), each optional. */
export interface RunOutputs {
  readonly out: string | undefined;
  readonly plot: string | undefined;
}

/** What {@link epochRecorder} saves besides the state: the architecture, the vocabulary, the chart. */
export interface RecorderOptions<C extends { readonly vocabSize: number }, H> {
  readonly config: C;
  readonly chars: readonly string[];
  /** Draws the history so far as an SVG document. */
  readonly chart: (history: readonly H[]) => string;
}

/**
 * The end of every epoch in the character apps: keep its statistics, rewrite the
 * checkpoint `outputs.out` (a failed write ends the program) and the curves `outputs.plot`.
 * @example const { history, onEpoch } = epochRecorder(checkpoints, flags, { config, chars: vocab.chars, chart });
 */
export function epochRecorder<C extends { readonly vocabSize: number }, H extends TextEpochStats>(
  checkpoints: TextCheckpoints<C, unknown>,
  outputs: RunOutputs,
  o: RecorderOptions<C, H>,
): { readonly history: H[]; onEpoch(state: unknown, stats: H, step: number): Promise<void> } {
  const history: H[] = [];
  return {
    history,
    async onEpoch(state, stats, step) {
      history.push(stats);
      if (outputs.out) {
        const saved = await checkpoints.save(userPath(outputs.out), state, {
          ...o.config,
          chars: o.chars,
          epoch: stats.epoch,
          step,
          validationLoss: stats.validationLoss,
        })();
        if (E.isLeft(saved)) fail(saved.left);
      }
      if (outputs.plot) await writeFile(userPath(outputs.plot), `${o.chart(history)}\n`);
    },
  };
}

/** The sample the training report closes with: temperature 0.7 from `The ` (or the text's first character). */
export function closingSample(
  vocab: data.CharVocab,
  train: Int32Array,
  draw: (prompt: string, o: { length: number; temperature: number }) => E.Either<unknown, string>,
): Pick<TextReport, 'sample'> {
  const prompt = E.isRight(encodePrompt(vocab, 'The '))
    ? 'The '
    : vocab.decode(train.subarray(0, 1));
  const temperature = 0.7;
  const text = draw(prompt, { length: 240, temperature });
  return E.isRight(text) ? { sample: { prompt, text: text.right, temperature } } : {};
}

/** How {@link finishTraining} draws the closing sample and names the app. */
export interface FinishOptions {
  /** How the user runs the app (`pnpm lstm`): the hint for sampling names it. */
  readonly command: string;
  /** What the plot is called (`curves`). */
  readonly plotNoun: string;
  readonly vocab: data.CharVocab;
  /** The training ids (their first character prompts the sample when `The ` cannot). */
  readonly train: Int32Array;
  /** Draws `length` characters after `prompt` with the trained model. */
  readonly draw: (
    prompt: string,
    o: { length: number; temperature: number },
  ) => E.Either<unknown, string>;
}

/**
 * Ends a training run: prints the report with a closing sample on stdout, then where the
 * checkpoint and the curves went on stderr.
 * @example finishTraining({ history, unigramPerplexity, batchSize: 32, window: 64 }, flags, { command: 'pnpm lstm', plotNoun: 'curves', vocab, train, draw });
 */
export function finishTraining(
  report: Omit<TextReport, 'sample'>,
  outputs: RunOutputs,
  o: FinishOptions,
): void {
  console.log(formatTextReport({ ...report, ...closingSample(o.vocab, o.train, o.draw) }));
  const { out, plot } = outputs;
  if (out)
    console.error(
      `checkpoint: ${out} (sample with: ${o.command} sample --checkpoint ${out} --prompt "The ")`,
    );
  if (plot) console.error(`${o.plotNoun}: ${plot}`);
}

/** A checkpoint's model, restored parameters and vocabulary, ready to sample from. */
export interface Sampler<M extends Initialisable> {
  readonly model: M;
  readonly params: ParamsOf<M>;
  readonly vocab: data.CharVocab;
}

/**
 * What `sample` needs before it draws: the checkpoint named by `--checkpoint`, its
 * parameters restored, and a prompt its vocabulary can encode.
 * @example const s = await loadSampler(checkpoints, f.checkpoint, f.prompt, jt.random.key(0))();
 */
export function loadSampler<C extends { readonly vocabSize: number }, M extends Initialisable>(
  checkpoints: TextCheckpoints<C, M>,
  checkpoint: string | undefined,
  prompt: string,
  key: KeyOf<M>,
): TE.TaskEither<AppError, Sampler<M>> {
  if (!checkpoint) return TE.left(appError('sample needs --checkpoint FILE'));
  return pipe(
    checkpoints.load(userPath(checkpoint)),
    TE.flatMapEither(({ model, vocab, restore }) =>
      pipe(
        restore({ params: model.init(key) as ParamsOf<M> }),
        E.flatMap(({ params }) =>
          pipe(
            encodePrompt(vocab, prompt),
            E.map(() => ({ model, params, vocab })),
          ),
        ),
      ),
    ),
  );
}
