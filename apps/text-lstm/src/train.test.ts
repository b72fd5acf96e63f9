import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unigramPerplexity } from '@jute/app-kit/text-corpus';
import * as data from '@jute/data';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { epochSlice, streamBatches } from './corpus';
import { charLstm } from './model';
import { sample } from './sample';
import { evaluate, makeOptimizer, trainLoop } from './train';

const TEXT = 'the cat sat on the mat. the dog sat on the log. '.repeat(12);
const vocab = data.charVocab(TEXT);
const ids = E.getOrElseW(() => new Int32Array())(vocab.encode(TEXT));
const config = { vocabSize: vocab.size, embed: 8, hidden: 16 };

const dir = await mkdtemp(join(tmpdir(), 'text-lstm-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function trainTiny(epochs: number): Promise<{ state: TrainState; losses: number[] }> {
  const model = charLstm(config);
  const opt = makeOptimizer(0.02);
  const params = model.init(jt.random.key(0));
  const { state, history } = await trainLoop(
    { params, optState: opt.init(params) },
    {
      model,
      opt,
      train: ids,
      validation: ids.subarray(0, 120),
      batchSize: 4,
      seqLen: 16,
      epochs,
      startEpoch: 0,
      progress: false,
    },
  );
  return { state, losses: history.map((h) => h.loss) };
}

describe('corpus helpers', () => {
  it('walks contiguous streams so state can carry across windows', () => {
    const xs = Int32Array.from({ length: 41 }, (_, i) => i);
    const s = streamBatches(xs, { batchSize: 2, length: 5 });
    expect(s.steps).toBe(4); // streams of 20: [0, 20) and [20, 40)
    const b0 = s.batch(0).inputs.toArray() as number[][];
    const b1 = s.batch(1);
    expect(b0).toEqual([
      [0, 1, 2, 3, 4],
      [20, 21, 22, 23, 24],
    ]);
    expect(b1.inputs.toArray()).toEqual([
      [5, 6, 7, 8, 9],
      [25, 26, 27, 28, 29],
    ]);
    expect(b1.targets.toArray()).toEqual([
      [6, 7, 8, 9, 10],
      [26, 27, 28, 29, 30],
    ]);
  });

  it('rotates per-epoch slices through the text', () => {
    const xs = Int32Array.from({ length: 10 }, (_, i) => i);
    expect([...epochSlice(xs, 1, 4)]).toEqual([4, 5, 6, 7]);
    expect([...epochSlice(xs, 2, 4)]).toEqual([8, 9, 0, 1]);
  });

  it('computes the unigram perplexity exactly', () => {
    expect(unigramPerplexity(new Int32Array([0, 0, 1, 1]), 3)).toBeCloseTo(2, 10);
    expect(unigramPerplexity(new Int32Array([2, 2, 2]), 3)).toBeCloseTo(1, 10);
  });
});

describe('training', () => {
  it('lowers the loss on a tiny corpus and beats the unigram baseline', async () => {
    const { state, losses } = await trainTiny(6);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! - 0.3);
    const val = evaluate(charLstm(config), state.params, ids, { batchSize: 4, length: 16 });
    expect(Math.exp(val.loss)).toBeLessThan(unigramPerplexity(ids, vocab.size));
  });

  it('round-trips a checkpoint and samples only vocabulary characters', async () => {
    const { state } = await trainTiny(2);
    const path = join(dir, 'tiny.safetensors');
    const saved = await saveCheckpoint(path, state, {
      ...config,
      chars: vocab.chars,
      epoch: 2,
      step: 10,
      validationLoss: 1.5,
    })();
    expect(E.isRight(saved)).toBe(true);
    const loaded = await loadCheckpoint(path)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    const { model, meta } = loaded.right;
    expect(meta).toMatchObject({ ...config, epoch: 2, step: 10, chars: vocab.chars });
    const restored = loaded.right.restore({ params: model.init(jt.random.key(1)) });
    if (E.isLeft(restored)) throw new Error(restored.left.message);
    expect(restored.right.params.lstm.recurrentKernel.toArray()).toEqual(
      state.params.lstm.recurrentKernel.toArray(),
    );
    for (const temperature of [0, 0.8]) {
      const text = sample(model, restored.right.params, loaded.right.vocab, {
        prompt: 'the ',
        length: 40,
        temperature,
        key: jt.random.key(3),
      });
      if (E.isLeft(text)) throw new Error(text.left.message);
      expect([...text.right]).toHaveLength(40);
      expect([...text.right].every((c) => vocab.chars.includes(c))).toBe(true);
    }
  });

  it('rejects prompts it cannot encode, naming the characters', () => {
    const model = charLstm(config);
    const params = model.init(jt.random.key(0));
    const o = { length: 5, temperature: 1, key: jt.random.key(0) };
    const bad = sample(model, params, vocab, { ...o, prompt: 'Zebra!' });
    expect(E.isLeft(bad) && bad.left.message).toBe(
      '--prompt has characters outside the vocabulary: "Z", "b", "r", "!"',
    );
    const empty = sample(model, params, vocab, { ...o, prompt: '' });
    expect(E.isLeft(empty) && empty.left.message).toContain('--prompt is empty');
  });
});
