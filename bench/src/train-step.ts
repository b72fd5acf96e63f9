import * as jt from '@jute/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { machineLine, median, printTable } from './report';

/**
 * The sequence-model training-step benchmarks (lstm, transformer): the same step written
 * with Jute (eager and jitted) and with TF.js ops (cpu and wasm), timed alike and printed
 * as one table of rates with ratios.
 */

/** One training step; returns the loss. */
export type Step = () => number;

/** Times `steps` steps after `warmup` untimed ones; stops early past `budgetS` seconds. */
function time(step: Step, warmup: number, steps: number, budgetS: number) {
  const seen: number[] = [];
  for (let i = 0; i < warmup; i++) seen.push(step());
  const ms: number[] = [];
  const start = performance.now();
  while (ms.length < steps && (ms.length < 3 || performance.now() - start < budgetS * 1000)) {
    const t0 = performance.now();
    seen.push(step());
    ms.push(performance.now() - t0);
  }
  return { ms, first: seen[0]!, last: seen.at(-1)! };
}

/**
 * A TF.js step of `loss` that does what the Jute chain `clipByGlobalNorm(1)` then
 * `adam(learningRate)` does: gradients scaled to global norm at most 1, then Adam.
 */
export function tfClippedAdamStep(loss: () => tf.Scalar, learningRate: number): Step {
  const opt = tf.train.adam(learningRate);
  return () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss);
      const names = Object.keys(grads);
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!)))));
      const scale = tf.minimum(1, tf.div(1, tf.maximum(norm, 1e-12)));
      opt.applyGradients(Object.fromEntries(names.map((n) => [n, tf.mul(grads[n]!, scale)])));
      return value.dataSync()[0]!;
    });
}

/** A training step to compare across implementations. */
export interface TrainStepBench {
  /** The table's title line. */
  readonly title: string;
  /** The rate's column header and unit (`chars/s`, `tokens/s`). */
  readonly unit: string;
  /** Characters (tokens) one step trains on. */
  readonly itemsPerStep: number;
  readonly jute: (compiled: boolean) => Step;
  readonly tf: (backend: 'cpu' | 'wasm') => Promise<Step>;
  /** Whether the TF.js rows get a ratio to Jute eager too (else `-`). */
  readonly tfVsJuteEager: boolean;
}

/**
 * Runs Jute eager, Jute jitted, TF.js cpu and TF.js wasm one after another (2 warm-up
 * steps each, then up to `steps` timed ones within `budgetS` seconds) and prints their
 * median rates with ratios.
 */
export async function runTrainStepBench(
  bench: TrainStepBench,
  options: { steps?: number; budgetS?: number } = {},
): Promise<void> {
  const steps = options.steps ?? 10;
  const budgetS = options.budgetS ?? 60;
  console.log(machineLine());
  const eager = `jute (${jt.getBackend().name})`;
  const rows: { impl: string; ms: number[]; first: number; last: number }[] = [];
  rows.push({ impl: eager, ...time(bench.jute(false), 2, steps, budgetS) });
  rows.push({
    impl: `jute-jit (${jt.getBackend().name})`,
    ...time(bench.jute(true), 2, steps, budgetS),
  });
  for (const backend of ['cpu', 'wasm'] as const) {
    rows.push({ impl: `tfjs-${backend}`, ...time(await bench.tf(backend), 2, steps, budgetS) });
  }
  const rate = (r: (typeof rows)[number]) => (bench.itemsPerStep * 1000) / median(r.ms);
  const ratio = (r: (typeof rows)[number], name: string) => {
    const o = rows.find((x) => x.impl === name);
    return o ? `${(rate(r) / rate(o)).toFixed(2)}x` : '-';
  };
  printTable(
    bench.title,
    [
      'impl',
      'steps',
      'ms/step',
      bench.unit,
      'vs cpu',
      'vs wasm',
      'vs jute eager',
      'loss first→last',
    ],
    rows.map((r) => [
      r.impl,
      String(r.ms.length),
      median(r.ms).toFixed(1),
      rate(r).toFixed(0),
      ratio(r, 'tfjs-cpu'),
      ratio(r, 'tfjs-wasm'),
      bench.tfVsJuteEager || r.impl.startsWith('jute') ? ratio(r, eager) : '-',
      `${r.first.toFixed(3)}→${r.last.toFixed(3)}`,
    ]),
  );
}
