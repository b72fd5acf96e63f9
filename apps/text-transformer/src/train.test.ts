import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unigramPerplexity } from '@jute/app-kit/text-corpus';
import * as data from '@jute/data';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { charGpt, type GptConfig } from './model';
import { makeDecodeSteps, pick, sample } from './sample';
import { evaluate, makeOptimizer, makeTrainStep, type TrainState, trainLoop } from './train';

const TEXT = 'the cat sat on the mat. the dog sat on the log. '.repeat(12);
const vocab = data.charVocab(TEXT);
const ids = E.getOrElseW(() => new Int32Array())(vocab.encode(TEXT));
const config: GptConfig = {
  vocabSize: vocab.size,
  context: 16,
  dim: 16,
  layers: 1,
  heads: 2,
  mlp: 'gelu',
  positions: 'rope',
};

const dir = await mkdtemp(join(tmpdir(), 'text-transformer-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const optimizer = (accumulate = 1, warmupSteps = 2) =>
  makeOptimizer({
    lr: 0.02,
    warmupSteps,
    totalSteps: 40,
    weightDecay: 0.01,
    clipNorm: 1,
    accumulate,
  });

async function trainTiny(epochs: number, c: GptConfig = config) {
  const model = charGpt(c);
  const opt = optimizer();
  const params = model.init(jt.random.key(0));
  return trainLoop(
    { params, optState: opt.init(params) },
    {
      model,
      step: makeTrainStep(model, opt, { dropout: false, jit: false }),
      train: ids,
      validation: ids.subarray(0, 100),
      batchSize: 4,
      epochs,
      startEpoch: 0,
      stepsPerEpoch: 5,
      key: jt.random.key(1),
      progress: false,
    },
  );
}

describe('the character GPT', () => {
  it('shares its embedding with the output and decodes with a cache as over the prefix', () => {
    for (const positions of ['rope', 'learned'] as const) {
      const model = charGpt({ ...config, positions, mlp: 'swiglu' });
      const params = model.init(jt.random.key(0));
      expect(Object.keys(params).sort()).toEqual(
        positions === 'rope' ? ['blocks', 'embed', 'norm'] : ['blocks', 'embed', 'norm', 'pos'],
      );
      const x = jt.array(ids.subarray(0, 10), { shape: [1, 10], dtype: 'int32' });
      const full = model.apply(params, x).logits;
      const a = model.apply(params, jt.slice(x, [0, 0], [1, 7]), {
        cache: model.initCache(params, 1),
      });
      const b = model.apply(params, jt.slice(x, [0, 7], [1, 10]), { cache: a.cache! });
      expect(Number(b.cache!.length.item())).toBe(10);
      const cached = jt.concatenate([a.logits, b.logits], 1);
      expect(Number(jt.max(jt.abs(jt.sub(cached, full))).item())).toBeLessThan(1e-4);
    }
  });

  it('lowers the loss on a tiny corpus and beats the unigram baseline', async () => {
    const { state, history } = await trainTiny(4);
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(history[3]!.loss).toBeLessThan(history[0]!.loss - 0.3);
    const val = evaluate(charGpt(config), state.params, ids, { context: 16, batchSize: 8 });
    expect(Math.exp(val.loss)).toBeLessThan(unigramPerplexity(ids, vocab.size));
    expect(history[3]!.elapsed).toBeGreaterThan(0);
  });

  it('scores every validation character once, with half a window of context', () => {
    const model = charGpt(config);
    const params = model.init(jt.random.key(0));
    // 41 ids, windows of 16 every 8: starts 0, 8, 16, 24 → 16 + 3·8 targets.
    const r = evaluate(model, params, ids.subarray(0, 41), { context: 16, batchSize: 3 });
    expect(r.chars).toBe(40);
    // An untrained model with a tiny init predicts nearly uniformly.
    expect(r.loss).toBeCloseTo(Math.log(vocab.size), 1);
  });

  it('takes the same step and scores the same loss jitted as eagerly', () => {
    const model = charGpt({ ...config, mlp: 'swiglu' });
    const opt = optimizer(1, 0);
    const params = model.init(jt.random.key(0));
    const optState = opt.init(params);
    const batch = {
      inputs: jt.array(ids.subarray(0, 32), { shape: [2, 16], dtype: 'int32' }),
      targets: jt.array(ids.subarray(1, 33), { shape: [2, 16], dtype: 'int32' }),
    };
    const eager = makeTrainStep(model, opt, { dropout: false, jit: false });
    const jitted = makeTrainStep(model, opt, { dropout: false, jit: true });
    const [pe, , le] = eager(params, optState, batch, jt.random.key(1));
    const [pj, sj, lj] = jitted(params, optState, batch, jt.random.key(1));
    expect(Number(lj.item())).toBeCloseTo(Number(le.item()), 5);
    const gap = (a: jt.Array, b: jt.Array) => Number(jt.max(jt.abs(jt.sub(a, b))).item());
    expect(gap(pj.embed.embedding, pe.embed.embedding)).toBeLessThan(1e-5);
    // A second call replays the compiled program on the new state.
    const [, , l2] = jitted(pj, sj, batch, jt.random.key(2));
    expect(Number(l2.item())).toBeLessThan(Number(lj.item()));
    const o = { context: 16, batchSize: 3 };
    const a = evaluate(model, pe, ids.subarray(0, 60), o);
    const b = evaluate(model, pe, ids.subarray(0, 60), { ...o, jit: true });
    expect(b.chars).toBe(a.chars);
    expect(b.loss).toBeCloseTo(a.loss, 5);
  });

  it('accumulates K gradients per update', () => {
    const model = charGpt(config);
    // No warm-up: the schedule's first value is the peak, not 0.
    const opt = optimizer(3, 0);
    const step = makeTrainStep(model, opt, { dropout: false, jit: false });
    let params = model.init(jt.random.key(0));
    let optState = opt.init(params);
    const batch = {
      inputs: jt.array(ids.subarray(0, 16), { shape: [1, 16], dtype: 'int32' }),
      targets: jt.array(ids.subarray(1, 17), { shape: [1, 16], dtype: 'int32' }),
    };
    const kernel = (p: typeof params) => p.blocks.block_0!.mlp.up.kernel.toArray();
    const first = kernel(params);
    for (let i = 0; i < 2; i++) {
      [params, optState] = step(params, optState, batch, jt.random.key(i));
      expect(kernel(params)).toEqual(first);
    }
    [params, optState] = step(params, optState, batch, jt.random.key(2));
    expect(kernel(params)).not.toEqual(first);
    expect(optim.multiStepsHasUpdated(optState as optim.MultiStepsState<unknown>)).toBe(true);
  });

  it('round-trips a checkpoint and resumes where it stopped', async () => {
    const { state } = await trainTiny(1);
    const path = join(dir, 'tiny.safetensors');
    const meta = { ...config, chars: vocab.chars, epoch: 1, step: 5, validationLoss: 1.5 };
    expect(E.isRight(await saveCheckpoint(path, state, meta)())).toBe(true);
    const loaded = await loadCheckpoint(path)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    expect(loaded.right.meta).toMatchObject(meta);
    const { model } = loaded.right;
    const params = model.init(jt.random.key(9));
    const restored = loaded.right.restore({ params, optState: optimizer().init(params) });
    if (E.isLeft(restored)) throw new Error(restored.left.message);
    const back = restored.right as TrainState;
    expect(back.params.embed.embedding.toArray()).toEqual(state.params.embed.embedding.toArray());
    expect(jt.tree.leaves(back.optState).map((l) => (l as jt.Array).toArray())).toEqual(
      jt.tree.leaves(state.optState).map((l) => (l as jt.Array).toArray()),
    );
  });
});

describe('sampling', () => {
  const model = charGpt(config);
  const params = model.init(jt.random.key(5));

  it('draws the same characters with and without the cache, within the context', () => {
    for (const temperature of [0, 0.9]) {
      const o = { prompt: 'the ', length: 10, temperature, topK: 5, key: jt.random.key(3) };
      const a = sample(model, params, vocab, o);
      const b = sample(model, params, vocab, { ...o, cache: false });
      if (E.isLeft(a) || E.isLeft(b)) throw new Error('sampling failed');
      expect([...a.right]).toHaveLength(10);
      expect(a.right).toBe(b.right);
    }
  });

  it('keeps going past the context, refilling the cache', () => {
    const text = sample(model, params, vocab, {
      prompt: 'the cat sat on the ',
      length: 40,
      temperature: 1,
      key: jt.random.key(4),
    });
    if (E.isLeft(text)) throw new Error(text.left.message);
    expect([...text.right].every((c) => vocab.chars.includes(c))).toBe(true);
    expect([...text.right]).toHaveLength(40);
  });

  it('picks only among the top k, and the argmax at temperature 0', () => {
    const logits = jt.array([[0, 3, 1, 2.9]]);
    expect(pick(logits, { temperature: 0 }, jt.random.key(0)).toArray()).toEqual([1]);
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++)
      seen.add(Number(pick(logits, { temperature: 5, topK: 2 }, jt.random.key(i)).item()));
    expect([...seen].sort()).toEqual([1, 3]);
    const steps = makeDecodeSteps(model);
    const x = jt.array(ids.subarray(0, 5), { shape: [1, 5], dtype: 'int32' });
    const [cache, last] = steps.cached(params, model.initCache(params, 1), x);
    expect(Number(cache.length.item())).toBe(5);
    const eager = steps.uncached(params, x);
    expect(Number(jt.max(jt.abs(jt.sub(last, eager))).item())).toBeLessThan(1e-5);
  });

  it('rejects prompts it cannot encode', () => {
    const bad = sample(model, params, vocab, {
      prompt: 'Zebra!',
      length: 5,
      temperature: 1,
      key: jt.random.key(0),
    });
    expect(E.isLeft(bad) && bad.left.message).toBe(
      '--prompt has characters outside the vocabulary: "Z", "b", "r", "!"',
    );
  });
});
