import { writeFile } from 'node:fs/promises';
import { fail, parseCommand, userPath } from '@jute/app-kit';
import { buildModel, type ModelKind } from '@jute/app-kit/mnist-model';
import * as data from '@jute/data';
import * as datasets from '@jute/datasets';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { attackGridPng, attackGridSvg, type GridRow } from './attack-grid';
import { appError, loadCheckpoint } from './checkpoint';
import {
  type AttackKind,
  buildAttack,
  formatCurve,
  inferenceModel,
  robustnessCurve,
} from './robustness';

export const attackFlags = {
  checkpoint: { type: 'string', help: 'Checkpoint written by training (--out)' },
  attack: { type: 'string', help: 'Attack', default: 'pgd', choices: ['pgd', 'fgsm'] },
  eps: { type: 'string', help: 'Radius ε, or a comma-separated list of them', default: '0.1' },
  norm: { type: 'string', help: 'Threat model', default: 'linf', choices: ['linf', 'l2'] },
  steps: { type: 'number', help: 'PGD steps', default: 20, integer: true, min: 1 },
  stepSize: { type: 'number', help: 'PGD step size (default 2.5·ε/steps)', min: 0 },
  limit: { type: 'number', help: 'Attack the first N test images only', integer: true, min: 1 },
  grid: {
    type: 'string',
    help: 'Write clean | perturbation | adversarial images (.svg with predictions, or .png)',
  },
  examples: { type: 'number', help: 'Rows of the grid', default: 8, integer: true, min: 1 },
  model: {
    type: 'string',
    help: 'Architecture of the checkpoint',
    default: 'cnn',
    choices: ['mlp', 'cnn'],
  },
  data: {
    type: 'string',
    help: 'Directory with the full MNIST IDX files (default: the 10,000 embedded digits)',
  },
  seed: {
    type: 'number',
    help: 'Seed of the split and the random starts',
    default: 0,
    integer: true,
  },
} as const;

/** `--eps 0.05,0.1,0.2` as numbers, or an error message. */
export function parseEpsList(raw: string): E.Either<string, number[]> {
  const parts = raw.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  const bad = parts.find((s, i) => s === '' || !Number.isFinite(values[i]!) || values[i]! < 0);
  return bad === undefined
    ? E.right(values)
    : E.left(`--eps expects numbers >= 0 separated by commas, got '${raw}'`);
}

/** `pnpm mnist attack`: clean vs adversarial accuracy for each ε, and an image grid. */
export async function attackCommand(argv: string[]): Promise<void> {
  const args = parseCommand(
    {
      usage: 'pnpm mnist attack --checkpoint FILE [--attack pgd|fgsm] [--eps 0.05,0.1,0.2]',
      summary: 'Attack a trained model: clean and adversarial accuracy on the held-out split.',
      flags: attackFlags,
    },
    argv,
  );
  if (!args) return;
  const f = args.flags;
  if (!f.checkpoint) return fail(appError('attack needs --checkpoint FILE'));
  const epsList = parseEpsList(f.eps);
  if (E.isLeft(epsList)) return fail(appError(epsList.left));
  const kind = f.model as ModelKind;
  const model = buildModel(kind);
  const init = model.init(jt.random.key(0), [1, 28, 28, 1]);
  const loaded = await loadCheckpoint(
    userPath(f.checkpoint),
    { params: init.params, state: init.state },
    kind,
  )();
  if (E.isLeft(loaded)) return fail(loaded.left);
  const mnist = await datasets.loadMnist(
    f.data ? { dir: userPath(f.data), seed: f.seed } : { seed: f.seed },
  )();
  if (E.isLeft(mnist)) return fail(appError(data.formatDataError(mnist.left)));
  const test = mnist.right.test;
  const n = Math.min(f.limit ?? Number.POSITIVE_INFINITY, test.labels.shape[0]!);
  const set = { images: jt.slice(test.images, [0], [n]), labels: jt.slice(test.labels, [0], [n]) };
  const spec = {
    kind: f.attack as AttackKind,
    norm: f.norm as 'linf' | 'l2',
    steps: f.steps,
    ...(f.stepSize === undefined ? {} : { stepSize: f.stepSize }),
  };
  const name = spec.kind === 'pgd' ? `PGD-${spec.steps}` : 'FGSM';
  const start = performance.now();
  const key = jt.random.key(f.seed);
  const rows = await robustnessCurve(model, loaded.right.train, set, spec, epsList.right, key);
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.log(formatCurve(rows, `${name} (${spec.norm}) on ${n} held-out images · ${seconds} s`));
  if (f.grid) {
    const eps = epsList.right[epsList.right.length - 1]!;
    const m = Math.min(f.examples, n);
    const x = jt.slice(set.images, [0], [m]);
    const y = jt.slice(set.labels, [0], [m]);
    const fn = inferenceModel(model, loaded.right.train.state);
    const params = loaded.right.train.params;
    const xAdv = buildAttack(fn, { ...spec, eps })(params, x, y, key);
    const predict = (xs: jt.Array) => Array.from(jt.argmax(fn(params, xs), { axis: -1 }).data());
    const [p0, p1, labels] = [predict(x), predict(xAdv), Array.from(y.data())];
    const [cx, ax] = [x.data() as Float32Array, xAdv.data() as Float32Array];
    const gridRows: GridRow[] = [...Array(m).keys()].map((i) => ({
      clean: cx.slice(i * 784, (i + 1) * 784),
      adversarial: ax.slice(i * 784, (i + 1) * 784),
      label: labels[i]!,
      cleanPrediction: p0[i]!,
      adversarialPrediction: p1[i]!,
    }));
    const path = userPath(f.grid);
    const title = `${name} (${spec.norm}, ε = ${eps})`;
    await writeFile(
      path,
      f.grid.toLowerCase().endsWith('.png')
        ? attackGridPng(gridRows, eps)
        : attackGridSvg(gridRows, eps, title),
    );
    console.error(`grid: ${f.grid}`);
  }
}
