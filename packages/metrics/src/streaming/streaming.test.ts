import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, f32, i32, splitAt } from '../../test/helpers';
import * as oneShot from '../index';
import { streaming } from '../index';
import type { StreamingMetric } from './streaming-metric';

const N = 50;
const K = 5;
const CUTS = [0, 17, 17, 40]; // includes two empty batches
const [k1, k2, k3, k4, k5] = jt.random.split(jt.random.key(7), 5);
const scores = jt.random.normal(k1!, [N, K]);
const labels = jt.random.randint(k2!, [N], 0, K);
const predIds = jt.random.randint(k3!, [N], 0, K);
const targets = jt.random.normal(k4!, [N, 2]);
const preds = jt.add(targets, jt.mul(jt.random.normal(k5!, [N, 2]), 0.5));

/** Folds `update` over the pieces of every argument split at CUTS. */
function run<S, R>(
  m: StreamingMetric<S, [jt.Array, jt.Array], R>,
  a: jt.Array,
  b: jt.Array,
  cuts = CUTS,
): S {
  const as = splitAt(a, cuts);
  const bs = splitAt(b, cuts);
  return as.reduce((s, x, i) => m.update(s, x, bs[i]!), m.init());
}

const same = (got: jt.Array, want: jt.Array, tol = 1e-6) => {
  expect(got.shape).toEqual(want.shape);
  expectClose(got, Array.from(want.data()), want.shape, tol);
};

describe('streaming metrics equal one-shot metrics over the concatenated batches', () => {
  it('accuracy and topKAccuracy', () => {
    const acc = streaming.accuracy();
    same(acc.compute(run(acc, scores, labels)), oneShot.accuracy(scores, labels));
    same(acc.compute(run(acc, predIds, labels)), oneShot.accuracy(predIds, labels));
    const top = streaming.topKAccuracy({ k: 2 });
    same(top.compute(run(top, scores, labels)), oneShot.topKAccuracy(scores, labels, { k: 2 }));
  });
  it('confusionMatrix, and every score derived from it', () => {
    const cmMetric = streaming.confusionMatrix({ numClasses: K });
    const cm = cmMetric.compute(run(cmMetric, predIds, labels));
    same(cm, oneShot.confusionMatrix(predIds, labels, { numClasses: K }));
    expect(Number(jt.sum(cm).item())).toBe(N);
    same(oneShot.accuracyFromConfusion(cm), oneShot.accuracy(predIds, labels));
    for (const average of ['binary', 'micro', 'macro', 'weighted', 'none'] as const) {
      const o = { average, numClasses: K, positiveLabel: 2 };
      const p = streaming.precision(o);
      const r = streaming.recall(o);
      const f = streaming.f1(o);
      same(p.compute(run(p, scores, labels)), oneShot.precision(scores, labels, o));
      same(r.compute(run(r, scores, labels)), oneShot.recall(scores, labels, o));
      same(f.compute(run(f, scores, labels)), oneShot.f1(scores, labels, o));
      same(oneShot.f1FromConfusion(cm, o), oneShot.f1(predIds, labels, o));
    }
  });
  it('meanSquaredError and r2Score', () => {
    const mse = streaming.meanSquaredError();
    same(mse.compute(run(mse, preds, targets)), oneShot.meanSquaredError(preds, targets), 1e-5);
    const r2 = streaming.r2Score({ numOutputs: 2 });
    same(r2.compute(run(r2, preds, targets)), oneShot.r2Score(preds, targets), 1e-5);
    const r21 = streaming.r2Score();
    const p1 = jt.reshape(jt.slice(preds, [0, 0], [N, 1]), [N]);
    const t1 = jt.add(jt.reshape(jt.slice(targets, [0, 0], [N, 1]), [N]), 1000); // offset: cancellation-prone
    same(r21.compute(run(r21, jt.add(p1, 1000), t1)), oneShot.r2Score(jt.add(p1, 1000), t1), 1e-3);
  });
  it('rocAuc', () => {
    const bin = jt.cast(jt.greater(labels, 1), 'int32');
    const s = jt.reshape(jt.slice(scores, [0, 0], [N, 1]), [N]);
    const auc = streaming.rocAuc();
    same(auc.compute(run(auc, s, bin)), oneShot.rocAuc(s, bin));
  });
  it('mean (weighted) and perplexity', () => {
    const values = jt.reshape(jt.slice(targets, [0, 0], [N, 1]), [N]);
    const weights = jt.cast(jt.greater(labels, 0), 'float32');
    const m = streaming.mean();
    same(
      m.compute(run(m, values, weights)),
      jt.div(jt.sum(jt.mul(values, weights)), jt.sum(weights)),
    );
    let s = m.init();
    for (const piece of splitAt(values, CUTS)) s = m.update(s, piece);
    same(m.compute(s), jt.mean(values));
    const ce = jt.abs(values);
    const ppl = streaming.perplexity();
    let ps = ppl.init();
    for (const piece of splitAt(ce, CUTS)) ps = ppl.update(ps, piece);
    same(ppl.compute(ps), oneShot.perplexity(ce), 1e-5);
  });
});

describe('streaming states', () => {
  it('have defined results before any batch', () => {
    expectClose(streaming.accuracy().compute(streaming.accuracy().init()), 0);
    expectClose(
      streaming
        .f1({ average: 'macro', numClasses: 3 })
        .compute(streaming.f1({ average: 'macro', numClasses: 3 }).init()),
      0,
    );
    expectClose(streaming.mean().compute(streaming.mean().init()), 0);
    expectClose(streaming.perplexity().compute(streaming.perplexity().init()), 1);
    expectClose(streaming.meanSquaredError().compute(streaming.meanSquaredError().init()), 0);
    expect(() => streaming.rocAuc().compute(streaming.rocAuc().init())).toThrow(jt.ValueError);
  });
  it('merge equals sequential updates', () => {
    const acc = streaming.confusionMatrix({ numClasses: K });
    const a = run(acc, jt.slice(scores, [0], [20]), jt.slice(labels, [0], [20]), [7]);
    const b = run(acc, jt.slice(scores, [20], [N]), jt.slice(labels, [20], [N]), [11]);
    same(acc.merge(a, b), run(acc, scores, labels));
    const r2 = streaming.r2Score({ numOutputs: 2 });
    const ra = run(r2, jt.slice(preds, [0], [20]), jt.slice(targets, [0], [20]), [5]);
    const rb = run(r2, jt.slice(preds, [20], [N]), jt.slice(targets, [20], [N]), [3]);
    same(r2.compute(r2.merge(ra, rb)), r2.compute(run(r2, preds, targets)), 1e-5);
    same(r2.compute(r2.merge(r2.init(), ra)), r2.compute(ra), 1e-6);
  });
  it('are never mutated by update', () => {
    const acc = streaming.accuracy();
    const s1 = acc.update(acc.init(), i32([1, 1]), i32([1, 1]));
    acc.update(s1, i32([0, 0]), i32([1, 1]));
    expectClose(acc.compute(s1), 1);
  });
  it('can be carried through jt.scan', () => {
    const cmMetric = streaming.confusionMatrix({ numClasses: K });
    const xs = { s: jt.reshape(scores, [5, 10, K]), l: jt.reshape(labels, [5, 10]) };
    const [final] = jt.scan(
      (state: jt.Array, b: { s: jt.Array; l: jt.Array }) =>
        [cmMetric.update(state, b.s, b.l), null] as never,
      cmMetric.init(),
      xs,
    ) as unknown as [jt.Array];
    same(final, oneShot.confusionMatrix(scores, labels, { numClasses: K }));
  });
  it('report bad batches with the metric name', () => {
    const cmMetric = streaming.confusionMatrix({ numClasses: 3 });
    expect(() => cmMetric.update(cmMetric.init(), i32([0]), i32([3]))).toThrow(
      /streaming.confusionMatrix: label 3/,
    );
    expect(() =>
      streaming.mean().update(streaming.mean().init(), f32([1, 2]), f32([1, 2, 3])),
    ).toThrow(jt.ShapeError);
    const r2 = streaming.r2Score();
    expect(() => r2.update(r2.init(), f32([[1, 2]]), f32([[1, 2]]))).toThrow(/set numOutputs/);
    expect(() => streaming.topKAccuracy({ k: 0 })).toThrow(jt.ValueError);
  });
});
