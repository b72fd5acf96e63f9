/**
 * The tutorials' figures, computed with Jute itself and drawn with `@jute/app-kit`'s
 * `lineChart`. `makeFigures()` returns every SVG in memory (the docs test compares them with
 * the committed files, so they cannot drift from the library); running this file writes them:
 *
 *   pnpm --filter @jute/docs figures      # tsx --conditions=@jute/source scripts/figures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lineChart, type Series } from '@jute/app-kit';
import { grad, valueAndGrad, vmap } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import { attentionFigures } from './attention-figure';

/** Where the committed figures live; pages embed them as `/figures/<name>`. */
export const figuresDir = fileURLToPath(new URL('../public/figures/', import.meta.url));

type Point = readonly [number, number];

/** Pairs two 1-D arrays into chart points. */
const points = (xs: jt.Array, ys: jt.Array): Point[] => {
  const a = xs.toArray() as number[];
  const b = ys.toArray() as number[];
  return a.map((x, i) => [x, b[i]!] as const);
};

// Activations (tutorial 3) ------------------------------------------------------------------

const activations: ReadonlyArray<readonly [string, (z: jt.Array) => jt.Array]> = [
  ['sigmoid', (z) => jt.sigmoid(z)],
  ['tanh', (z) => jt.tanh(z)],
  ['ReLU', (z) => jt.relu(z)],
  ['leaky ReLU (0.1)', (z) => nn.leakyRelu(z, { negativeSlope: 0.1 })],
  ['GELU', (z) => nn.gelu(z)],
  ['softplus', (z) => jt.softplus(z)],
];

function activationFigures(): Record<string, string> {
  const z = jt.linspace(-4, 4, 161);
  const values: Series[] = activations.map(([name, f]) => ({ name, points: points(z, f(z)) }));
  // The derivative of each activation at every point of the grid, with no hand-written
  // formula: grad of the scalar function, vectorized over the grid by vmap.
  const slopes: Series[] = activations.map(([name, f]) => ({
    name,
    points: points(z, vmap(grad(f))(z)),
  }));
  return {
    'activations.svg': lineChart(values, {
      title: 'Activation functions',
      xLabel: 'z',
      yLabel: 'φ(z)',
    }),
    'activation-grads.svg': lineChart(slopes, {
      title: 'Their derivatives, computed by vmap(grad(φ))',
      xLabel: 'z',
      yLabel: "φ'(z)",
    }),
  };
}

// Losses (tutorial 4) -----------------------------------------------------------------------

function lossFigures(): Record<string, string> {
  const r = jt.linspace(-3, 3, 121);
  const zero = jt.zerosLike(r);
  // Elementwise losses of a residual r = prediction - target.
  const regression: Series[] = [
    { name: 'squared error', points: points(r, losses.meanSquaredError(r, zero)) },
    { name: 'absolute error', points: points(r, losses.meanAbsoluteError(r, zero)) },
    { name: 'Huber (δ = 1)', points: points(r, losses.huber(r, zero, { delta: 1 })) },
    { name: 'log-cosh', points: points(r, losses.logCosh(r, zero)) },
  ];
  // Classification losses of the margin m = t·z for a target t = +1.
  const ones = jt.onesLike(r);
  const classification: Series[] = [
    {
      name: 'zero-one',
      points: points(r, jt.cast(jt.lessEqual(r, 0), 'float32')),
    },
    { name: 'logistic (BCE)', points: points(r, losses.sigmoidBinaryCrossEntropy(r, ones)) },
    { name: 'hinge', points: points(r, losses.hinge(r, ones)) },
    { name: 'squared hinge', points: points(r, losses.squaredHinge(r, ones)) },
  ];
  return {
    'regression-losses.svg': lineChart(regression, {
      title: 'Regression losses of the residual',
      xLabel: 'residual ŷ − y',
      yLabel: 'loss',
    }),
    'classification-losses.svg': lineChart(classification, {
      title: 'Classification losses of the margin',
      xLabel: 'margin t·z (t = ±1)',
      yLabel: 'loss',
    }),
  };
}

// Optimizers on the Rosenbrock function (tutorial 6) -----------------------------------------

/** Rosenbrock's banana-shaped valley, minimum 0 at (1, 1). */
export const rosenbrock = (p: jt.Array): jt.Array => {
  const x = jt.take(p, 0);
  const y = jt.take(p, 1);
  return jt.add(jt.square(jt.sub(1, x)), jt.mul(100, jt.square(jt.sub(y, jt.square(x)))));
};

/** The optimizers compared in tutorial 6, each with a learning rate that suits it here. */
export const rosenbrockOptimizers: ReadonlyArray<readonly [string, optim.GradientTransformation]> =
  [
    ['SGD η=0.001', optim.sgd({ learningRate: 1e-3 })],
    ['momentum η=0.001', optim.sgd({ learningRate: 1e-3, momentum: 0.9 })],
    ['Adagrad η=0.3', optim.adagrad({ learningRate: 0.3 })],
    ['RMSProp η=0.01', optim.rmsprop({ learningRate: 0.01 })],
    ['Adam η=0.1', optim.adam({ learningRate: 0.1 })],
  ];

/** Runs `opt` on Rosenbrock from `start`: the visited points and the loss at each. */
export function optimizePath(
  opt: optim.GradientTransformation,
  steps: number,
  start: readonly [number, number] = [-1.2, 1],
): { path: Point[]; loss: number[] } {
  const g = grad(rosenbrock);
  let p = jt.array([...start]);
  let state = opt.init(p);
  const path: Point[] = [];
  const loss: number[] = [];
  for (let t = 0; t <= steps; t++) {
    const [x, y] = p.toArray() as number[];
    path.push([x!, y!]);
    loss.push(rosenbrock(p).item() as number);
    if (t === steps) break;
    const [updates, next] = opt.update(g(p), state, p);
    p = optim.applyUpdates(p, updates);
    state = next;
  }
  return { path, loss };
}

function optimizerFigures(steps = 200): Record<string, string> {
  const runs = rosenbrockOptimizers.map(([name, opt]) => ({ name, ...optimizePath(opt, steps) }));
  // The valley y = x², and the minimum, as reference lines in the (x, y) plane.
  const valley = jt.linspace(-1.3, 1.2, 51);
  const paths: Series[] = [
    ...runs.map((r) => ({ name: r.name, points: r.path })),
    { name: 'valley y = x²', points: points(valley, jt.square(valley)), color: '#bbbbbb' },
  ];
  const curves: Series[] = runs.map((r) => ({
    name: r.name,
    // log10, since the loss falls over orders of magnitude (lineChart has linear axes).
    points: r.loss.map((l, t) => [t, Math.log10(Math.max(l, 1e-8))] as const),
  }));
  return {
    'rosenbrock-paths.svg': lineChart(paths, {
      title: `Paths on the Rosenbrock function from (−1.2, 1), ${steps} steps`,
      xLabel: 'x',
      yLabel: 'y',
      height: 440,
    }),
    'rosenbrock-loss.svg': lineChart(curves, {
      title: 'Loss along each path',
      xLabel: 'step',
      yLabel: 'log10 f(x, y)',
    }),
  };
}

// Learning-rate schedules (tutorial 6) ------------------------------------------------------

function scheduleFigures(): Record<string, string> {
  const steps = jt.arange(0, 1001, 10);
  const schedules: ReadonlyArray<readonly [string, optim.Schedule]> = [
    ['constant', optim.constantSchedule(1e-3)],
    [
      'exponential decay',
      optim.exponentialDecay({ initValue: 1e-3, transitionSteps: 250, decayRate: 0.5 }),
    ],
    [
      'piecewise constant',
      optim.piecewiseConstantSchedule({
        initValue: 1e-3,
        boundariesAndScales: { 400: 0.3, 700: 0.3 },
      }),
    ],
    ['cosine decay', optim.cosineDecaySchedule({ initValue: 1e-3, decaySteps: 1000 })],
    [
      'warm-up + cosine',
      optim.warmupCosineDecaySchedule({
        initValue: 0,
        peakValue: 1e-3,
        warmupSteps: 100,
        decaySteps: 1000,
      }),
    ],
  ];
  // A schedule evaluated at an array of steps gives an array of values.
  const series: Series[] = schedules.map(([name, s]) => ({
    name,
    points: points(steps, s(steps)),
  }));
  return {
    'schedules.svg': lineChart(series, {
      title: 'Learning-rate schedules',
      xLabel: 'step',
      yLabel: 'learning rate',
    }),
  };
}

// Weight initialization (initialization tutorial) ------------------------------------------

/** Initial scale, activation and name of each scheme in the activation-statistics figure. */
const initSchemes: ReadonlyArray<readonly [string, nn.Initializer, (z: jt.Array) => jt.Array]> = [
  ['N(0, 0.01²), tanh', nn.normal(0.01), jt.tanh],
  ['N(0, 1), tanh', nn.normal(1), jt.tanh],
  ['Xavier, tanh', nn.glorotNormal, jt.tanh],
  ['Xavier, ReLU', nn.glorotNormal, jt.relu],
  ['He, ReLU', nn.heNormal, jt.relu],
];

/** log10 of the standard deviation of the activations after each of `depth` layers. */
export function activationStds(
  init: nn.Initializer,
  act: (z: jt.Array) => jt.Array,
  depth = 30,
  width = 128,
): number[] {
  const keys = jt.random.split(jt.random.key(2), depth);
  let h = jt.random.normal(jt.random.key(1), [128, width]);
  const out: number[] = [];
  for (const k of keys) {
    h = act(jt.matmul(h, init(k, [width, width])));
    out.push(jt.std(h).item() as number);
  }
  return out;
}

function initFigures(): Record<string, string> {
  const series: Series[] = initSchemes.map(([name, init, act]) => ({
    name,
    // Clamped at 1e-12 so that a signal that has vanished entirely still has a point.
    points: activationStds(init, act).map(
      (s, l) => [l + 1, Math.log10(Math.max(s, 1e-12))] as const,
    ),
  }));
  return {
    'init-activation-std.svg': lineChart(series, {
      title: 'Activation spread through 30 layers of width 128',
      xLabel: 'layer',
      yLabel: 'log10 std of activations',
    }),
  };
}

// ROC and precision–recall curves (classification-metrics tutorial) -------------------------

/** ROC points (FPR, TPR) and precision–recall points (recall, precision) of scores. */
export function rocAndPr(
  scores: readonly number[],
  positive: readonly boolean[],
): { roc: Point[]; pr: Point[] } {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const p = positive.filter(Boolean).length;
  const n = positive.length - p;
  const roc: Point[] = [[0, 0]];
  const pr: Point[] = [];
  let [tp, fp] = [0, 0];
  for (const i of order) {
    if (positive[i]) tp++;
    else fp++;
    roc.push([fp / n, tp / p]);
    pr.push([tp / p, tp / (tp + fp)]);
  }
  return { roc, pr };
}

function rocFigures(): Record<string, string> {
  // One score distribution per class, N(1.5, 1) for positives and N(0, 1) for negatives,
  // with positives as common as negatives or twenty times rarer.
  const negatives = jt.random.normal(jt.random.key(11), [950]).toArray() as number[];
  const allPositives = jt.random.normal(jt.random.key(12), [950]).toArray() as number[];
  const runs = [
    ['balanced: 950 positives', 950],
    ['rare: 50 positives', 50],
  ] as const;
  const curves = runs.map(([name, count]) => {
    const pos = allPositives.slice(0, count).map((v) => v + 1.5);
    const scores = [...pos, ...negatives];
    const labels = scores.map((_, i) => i < count);
    return { name, ...rocAndPr(scores, labels) };
  });
  const chance: Series = {
    name: 'chance',
    points: [
      [0, 0],
      [1, 1],
    ],
    color: '#bbbbbb',
  };
  return {
    'roc-curves.svg': lineChart([...curves.map((c) => ({ name: c.name, points: c.roc })), chance], {
      title: 'ROC curves: the same scores, positives common or rare',
      xLabel: 'false positive rate',
      yLabel: 'true positive rate',
    }),
    'pr-curves.svg': lineChart(
      curves.map((c) => ({ name: c.name, points: c.pr })),
      {
        title: 'Precision–recall curves of the same scores',
        xLabel: 'recall',
        yLabel: 'precision',
      },
    ),
  };
}

// Residual networks (residual-networks tutorial) --------------------------------------------

/** Two interleaved spirals in the plane, `n` points each: a small task that needs depth. */
export function twoSpirals(n: number): { x: jt.Array; y: jt.Array } {
  const t = jt.linspace(0.25, 3 * Math.PI, n);
  const r = jt.div(t, 3 * Math.PI);
  const arm = (sign: number) =>
    jt.stack([jt.mul(sign, jt.mul(r, jt.cos(t))), jt.mul(sign, jt.mul(r, jt.sin(t)))], 1);
  return {
    x: jt.concatenate([arm(1), arm(-1)], 0),
    y: jt.concatenate([jt.zeros([n], { dtype: 'int32' }), jt.ones([n], { dtype: 'int32' })]),
  };
}

/** A plain stack of `depth` dense+ReLU layers, or the same depth as residual blocks. */
export function deepNet(depth: number, residual: boolean, width = 16): nn.Sequential {
  const dense = () => nn.dense({ features: width });
  const body = residual
    ? Array.from({ length: depth / 2 }, () =>
        // The block's last layer starts at zero, so every block starts as the identity.
        nn.residual(
          nn.sequential(dense(), nn.relu, nn.dense({ features: width, kernelInit: nn.zeros })),
        ),
      )
    : Array.from({ length: depth }, () => nn.sequential(dense(), nn.relu));
  return nn.sequential(dense(), nn.relu, ...body, nn.dense({ features: 2 }));
}

/** Training loss of `model` on the spirals, full batch, Adam, at each of `steps` steps. */
function trainCurve(model: nn.Sequential, steps: number): number[] {
  const { x, y } = twoSpirals(64);
  let { params } = model.init(jt.random.key(3), x.shape);
  const opt = optim.adam({ learningRate: 1e-2 });
  let state = opt.init(params);
  const lossAndGrad = valueAndGrad((p: nn.ChildTrees) =>
    jt.mean(losses.sparseSoftmaxCrossEntropy(model.apply(p, x).y, y)),
  );
  const curve: number[] = [];
  for (let t = 0; t < steps; t++) {
    const [loss, g] = lossAndGrad(params);
    curve.push(loss.item() as number);
    const [updates, next] = opt.update(g, state, params);
    params = optim.applyUpdates(params, updates);
    state = next;
  }
  return curve;
}

function residualFigures(depth = 30, steps = 100): Record<string, string> {
  const series: Series[] = [false, true].map((res) => ({
    name: res ? `residual, ${depth / 2} blocks of 2` : `plain, ${depth} layers`,
    points: trainCurve(deepNet(depth, res), steps).map((l, t) => [t, l] as const),
  }));
  return {
    'plain-vs-residual.svg': lineChart(series, {
      title: `Training loss of ${depth + 2}-layer ReLU nets on two spirals`,
      xLabel: 'step',
      yLabel: 'cross-entropy',
    }),
  };
}

/** Every figure, by file name. Deterministic: the same library gives the same bytes. */
export function makeFigures(): Record<string, string> {
  const figs = {
    ...activationFigures(),
    ...lossFigures(),
    ...optimizerFigures(),
    ...scheduleFigures(),
    ...initFigures(),
    ...residualFigures(),
    ...rocFigures(),
    ...attentionFigures(),
  };
  return Object.fromEntries(Object.entries(figs).map(([k, v]) => [k, `${v}\n`]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(figuresDir, { recursive: true });
  for (const [name, svg] of Object.entries(makeFigures())) {
    writeFileSync(`${figuresDir}${name}`, svg);
    console.log(`wrote docs/public/figures/${name}`);
  }
}
