import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, type ModelKind } from '@jute/app-kit/mnist-model';
import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as losses from '@jute/losses';
import type * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { type EpochStats, makeTrainStep, trainLoop } from './train';

// Training runs in-process on a few hundred images and a 64-image test split, so each
// case costs seconds; the CLI itself is exercised in cli.test.ts.

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};

let mnist: datasets.Mnist;
let dir: string;
beforeAll(async () => {
  mnist = right(await datasets.loadMnist({ seed: 0 })());
  dir = await mkdtemp(join(tmpdir(), 'mnist-train-test-'));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const subset = (set: datasets.LabelledImages, n: number): datasets.LabelledImages => ({
  images: jt.slice(set.images, [0], [n]),
  labels: jt.slice(set.labels, [0], [n]),
});

/** The same initialisation as the CLI's `train`: one key split into init and training. */
function setup(kind: ModelKind, seed: number, batchSize: number) {
  const model = buildModel(kind);
  const [initKey, trainKey] = jt.random.split(jt.random.key(seed), 2);
  const { params, state } = model.init(initKey!, [batchSize, 28, 28, 1]);
  const opt = optim.adam({ learningRate: 1e-3 });
  const start: TrainState = { params, state, optState: opt.init(params) };
  return { model, opt, start, key: trainKey! };
}

/** Mean cross-entropy in inference mode (no dropout), so it only moves with the parameters. */
function evalLoss(model: nn.Sequential, s: TrainState, set: datasets.LabelledImages): number {
  const { y } = model.apply(s.params, set.images, {
    state: s.state,
    training: false,
  });
  return Number(jt.mean(losses.sparseSoftmaxCrossEntropy(y, set.labels)).item());
}

interface RunOptions {
  readonly kind?: ModelKind;
  readonly seed?: number;
  readonly n?: number;
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly startEpoch?: number;
  readonly start?: TrainState;
  readonly onEpoch?: (s: TrainState, stats: EpochStats, step: number) => Promise<void>;
}

async function run(o: RunOptions = {}) {
  const batchSize = o.batchSize ?? 64;
  const s = setup(o.kind ?? 'mlp', o.seed ?? 0, batchSize);
  const train = subset(mnist.train, o.n ?? 128);
  const result = await trainLoop(o.start ?? s.start, {
    model: s.model,
    opt: s.opt,
    train,
    test: subset(mnist.test, 64),
    batchSize,
    epochs: o.epochs ?? 1,
    startEpoch: o.startEpoch ?? 0,
    key: s.key,
    onEpoch: o.onEpoch ?? (async () => {}),
  });
  return { ...s, train, ...result };
}

const leaves = (t: unknown) =>
  jt.tree.leaves<jt.Array>(t as jt.PyTree).map((a) => Array.from(a.data()));

describe('training', () => {
  it('an epoch of MLP steps on 256 images lowers the loss', async () => {
    const r = await run({ kind: 'mlp', n: 256, batchSize: 64 });
    const before = evalLoss(r.model, r.start, r.train);
    const after = evalLoss(r.model, r.state, r.train);
    expect(before).toBeGreaterThan(2);
    expect(after).toBeLessThan(before - 0.2);
    expect(r.history).toHaveLength(1);
    expect(r.history[0]!.epoch).toBe(1);
    expect(r.history[0]!.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.history[0]!.testAccuracy).toBeLessThanOrEqual(1);
  });

  it('CNN steps on one batch lower its loss', () => {
    const s = setup('cnn', 0, 32);
    const batch = subset(mnist.train, 32);
    const step = makeTrainStep(s.model, s.opt);
    let state = s.start;
    for (let i = 0; i < 2; i++) {
      const r = step(state, batch.images, batch.labels, jt.random.foldIn(s.key, i));
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.correct).toBeGreaterThanOrEqual(0);
      expect(r.correct).toBeLessThanOrEqual(32);
      state = r.next;
    }
    expect(evalLoss(s.model, state, batch)).toBeLessThan(evalLoss(s.model, s.start, batch));
  });

  it('the same seed gives the same losses and parameters; another seed does not', async () => {
    const a = await run({ seed: 3 });
    const b = await run({ seed: 3 });
    const c = await run({ seed: 4 });
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    expect(leaves(b.state.params)).toEqual(leaves(a.state.params));
    expect(c.history[0]!.loss).not.toBe(a.history[0]!.loss);
  });
});

describe('checkpoints', () => {
  it('resuming from an epoch checkpoint continues exactly as an uninterrupted run', async () => {
    const straight = await run({ epochs: 2 });

    const path = join(dir, 'epoch1.safetensors');
    const first = await run({
      epochs: 1,
      onEpoch: async (s, stats, step) => {
        right(await saveCheckpoint(path, s, { model: 'mlp', epoch: stats.epoch, step })());
      },
    });
    expect(first.history.map((h) => h.epoch)).toEqual([1]);

    // A fresh process would start from a new initialisation, as the CLI does.
    const template = setup('mlp', 0, 64).start;
    const loaded = right(await loadCheckpoint(path, template, 'mlp')());
    expect(loaded.meta).toEqual({ model: 'mlp', epoch: 1, step: 2 });
    expect(leaves(loaded.train)).toEqual(leaves(first.state));

    const resumed = await run({ epochs: 2, startEpoch: loaded.meta.epoch, start: loaded.train });
    expect(resumed.history.map((h) => h.epoch)).toEqual([2]);
    expect(resumed.history[0]!.loss).toBe(straight.history[1]!.loss);
    expect(leaves(resumed.state)).toEqual(leaves(straight.state));
  });

  it('rejects a checkpoint of the other architecture, with a wrong shape, or unreadable', async () => {
    const mlp = setup('mlp', 0, 1).start;
    const cnn = setup('cnn', 0, 1).start;
    const mlpPath = join(dir, 'mlp.safetensors');
    right(await saveCheckpoint(mlpPath, mlp, { model: 'mlp', epoch: 1, step: 1 })());

    const other = await loadCheckpoint(mlpPath, cnn, 'cnn')();
    expect(E.isLeft(other) && other.left.message).toMatch(/checkpoint is for --model mlp, not cnn/);

    // Without the metadata (a file from elsewhere) the tensors themselves must not fit.
    const bare = join(dir, 'bare.safetensors');
    right(await data.writeSafetensors(bare, mlp)());
    const missing = await loadCheckpoint(bare, cnn, 'cnn')();
    expect(E.isLeft(missing) && missing.left.message).toMatch(/not a checkpoint of this model/);

    const params = cnn.params as { conv1: { kernel: jt.Array } };
    const wrong = {
      ...cnn,
      params: { ...params, conv1: { ...params.conv1, kernel: jt.zeros([5, 5, 1, 32]) } },
    };
    const wrongPath = join(dir, 'wrong-shape.safetensors');
    right(await saveCheckpoint(wrongPath, wrong, { model: 'cnn', epoch: 1, step: 1 })());
    const shape = await loadCheckpoint(wrongPath, cnn, 'cnn')();
    expect(E.isLeft(shape) && shape.left.message).toMatch(/conv1\.kernel/);

    const garbage = join(dir, 'garbage.safetensors');
    await writeFile(garbage, 'this is not a safetensors file at all');
    expect(E.isLeft(await loadCheckpoint(garbage, cnn, 'cnn')())).toBe(true);
    expect(E.isLeft(await loadCheckpoint(join(dir, 'absent'), cnn, 'cnn')())).toBe(true);
  });
});
