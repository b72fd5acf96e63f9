import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as data from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { captureExit } from './test-utils';
import { positiveInt, textCheckpoints } from './text-checkpoint';
import {
  closingSample,
  epochRecorder,
  finishTraining,
  loadSampler,
  startTraining,
} from './text-cli';
import type { TextEpochStats } from './text-report';

const dir = await mkdtemp(join(tmpdir(), 'app-kit-text-cli-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

/** A stand-in model whose parameters are plain numbers, so checkpoints need no tensors. */
interface ToyConfig {
  readonly vocabSize: number;
  readonly width: number;
}
const checkpoints = textCheckpoints({
  app: 'jute-toy',
  fields: ['width'],
  parse: (m) => {
    const width = positiveInt(m.width);
    return width === undefined ? undefined : { width };
  },
  architecture: 'width',
  model: (config: ToyConfig) => ({ config, init: (seed: number) => ({ w: seed, v: [0, 0] }) }),
});
const vocab = data.charVocab('The cat');
const config = { vocabSize: vocab.size, width: 3 };
const saved = join(dir, 'saved.safetensors');
const progress = { chars: vocab.chars, epoch: 4, step: 40, validationLoss: 1.5 };
const trained = { params: { w: 9, v: [1, 2] }, optState: { count: 40 } };
await checkpoints.save(saved, trained, { ...config, ...progress })();

const start = (resume: string | undefined, over: Partial<ToyConfig> = {}, v = vocab) =>
  startTraining({
    checkpoints,
    resume,
    config: { ...config, ...over },
    vocab: v,
    key: 5,
    initOptimizer: (params) => ({ count: params.w * 0 }),
    fields: ['width'],
  })();

describe('startTraining', () => {
  it('initialises parameters and optimizer state without --resume', async () => {
    expect(await start(undefined)).toEqual(
      E.right({
        config,
        state: { params: { w: 5, v: [0, 0] }, optState: { count: 0 } },
        epoch: 0,
        step: 0,
      }),
    );
  });

  it("continues from a checkpoint's state, epoch and step, and says so", async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await start(saved);
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.state).toEqual(trained);
    expect(r.right).toMatchObject({ config, epoch: 4, step: 40 });
    expect(log).toHaveBeenCalledWith(`resumed from ${saved} after epoch 4`);
  });

  it('refuses a checkpoint of another architecture or character set, or an unreadable one', async () => {
    const wider = await start(saved, { width: 8 });
    expect(E.isLeft(wider) && wider.left.message).toBe(`${saved} has --width 3, not --width 8`);
    const other = await start(saved, {}, data.charVocab('The dog'));
    expect(E.isLeft(other) && other.left.message).toBe(
      `${saved} was trained on a corpus with a different character set`,
    );
    const missing = join(dir, 'missing.safetensors');
    const gone = await start(missing);
    expect(E.isLeft(gone) && gone.left.message).toContain(missing);
  });
});

describe('epochRecorder', () => {
  const stats = (epoch: number): TextEpochStats => ({
    epoch,
    loss: 2,
    validationLoss: 1 / epoch,
    validationPerplexity: Math.exp(1 / epoch),
    validationChars: 10,
    steps: 5,
    seconds: 1,
    charsPerSecond: 50,
  });

  it('keeps every epoch, rewrites the checkpoint and the chart after each', async () => {
    const out = join(dir, 'run.safetensors');
    const plot = join(dir, 'run.svg');
    const recorder = epochRecorder(
      checkpoints,
      { out, plot },
      {
        config,
        chars: vocab.chars,
        chart: (h) => `<svg>${h.map((e) => e.epoch).join(',')}</svg>`,
      },
    );
    await recorder.onEpoch(trained, stats(1), 5);
    await recorder.onEpoch(trained, stats(2), 10);
    expect(recorder.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(await readFile(plot, 'utf8')).toBe('<svg>1,2</svg>\n');
    const back = await checkpoints.load(out)();
    if (E.isLeft(back)) throw new Error(back.left.message);
    expect(back.right.meta).toEqual({
      ...config,
      chars: vocab.chars,
      epoch: 2,
      step: 10,
      validationLoss: 0.5,
    });
  });

  it('writes nothing without --out and --plot', async () => {
    const chart = vi.fn(() => '<svg/>');
    const none = { out: undefined, plot: undefined };
    const recorder = epochRecorder(checkpoints, none, { config, chars: vocab.chars, chart });
    await recorder.onEpoch(trained, stats(1), 5);
    expect(chart).not.toHaveBeenCalled();
    expect(recorder.history).toHaveLength(1);
  });

  it('ends the program with one error line when the checkpoint cannot be written', async () => {
    const errors = captureExit();
    const out = join(dir, 'no-such-dir', 'run.safetensors');
    const recorder = epochRecorder(
      checkpoints,
      { out, plot: undefined },
      {
        config,
        chars: vocab.chars,
        chart: () => '',
      },
    );
    await expect(recorder.onEpoch(trained, stats(1), 5)).rejects.toThrow('exit 1');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: .*no-such-dir/);
  });
});

describe('closingSample', () => {
  const draw = (prompt: string, o: { length: number; temperature: number }) =>
    E.right(`${prompt.length}:${o.length}:${o.temperature}`);

  it("starts from 'The ' at temperature 0.7 for 240 characters", () => {
    expect(closingSample(vocab, new Int32Array([3, 4]), draw)).toEqual({
      sample: { prompt: 'The ', text: '4:240:0.7', temperature: 0.7 },
    });
  });

  it("starts from the text's first character when 'The ' cannot be encoded", () => {
    const lower = data.charVocab('abc');
    expect(closingSample(lower, new Int32Array([2, 0]), draw).sample?.prompt).toBe('c');
  });

  it('leaves the sample out when drawing fails', () => {
    expect(closingSample(vocab, new Int32Array([0]), () => E.left('no'))).toEqual({});
  });
});

describe('finishTraining', () => {
  it('prints the report with its sample, then where the checkpoint and the curves are', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const history = [
      {
        epoch: 1,
        loss: 2,
        validationLoss: 1,
        validationPerplexity: 2.5,
        validationChars: 10,
        steps: 4,
        seconds: 2,
        charsPerSecond: 0,
      },
    ];
    const how = {
      command: 'pnpm toy',
      plotNoun: 'curves',
      vocab,
      train: new Int32Array([0]),
      draw: () => E.right('cat'),
    };
    const report = { history, unigramPerplexity: 5, batchSize: 2, window: 3 };
    finishTraining(report, { out: 'a.st', plot: 'a.svg' }, how);
    finishTraining(report, { out: undefined, plot: undefined }, how);
    const printed = out.mock.calls.map(([text]) => String(text));
    expect(printed).toHaveLength(2);
    expect(printed[0]).toBe(printed[1]);
    expect(printed[0]!.split('\n').slice(-4)).toEqual([
      'trained 1 epoch · 4 steps of 2×3 chars in 2.0s · 2.00 steps/s · 12 chars/s',
      '',
      'sample (temperature 0.7, prompt "The "):',
      'The cat',
    ]);
    expect(err.mock.calls).toEqual([
      ['checkpoint: a.st (sample with: pnpm toy sample --checkpoint a.st --prompt "The ")'],
      ['curves: a.svg'],
    ]);
  });
});

describe('loadSampler', () => {
  it('restores the parameters of the checkpoint it is given', async () => {
    const r = await loadSampler(checkpoints, saved, 'The ', 0)();
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.params).toEqual(trained.params);
    expect(r.right.vocab.chars).toEqual(vocab.chars);
    expect(r.right.model.config).toMatchObject(config);
  });

  it('refuses no checkpoint, an unreadable one, and a prompt outside the vocabulary', async () => {
    const message = async (checkpoint: string | undefined, prompt: string) => {
      const r = await loadSampler(checkpoints, checkpoint, prompt, 0)();
      return E.isLeft(r) ? r.left.message : 'loaded';
    };
    expect(await message(undefined, 'The ')).toBe('sample needs --checkpoint FILE');
    expect(await message(join(dir, 'absent.st'), 'The ')).toContain('absent.st');
    expect(await message(saved, 'Dog')).toBe(
      '--prompt has characters outside the vocabulary: "D", "o", "g"',
    );
    expect(await message(saved, '')).toContain('--prompt is empty');
  });
});
