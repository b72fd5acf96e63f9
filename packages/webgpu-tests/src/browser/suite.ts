/**
 * The WebGPU suite, bundled for the browser: every kernel primitive on random inputs, a
 * few compositions under grad, vmap and jit, and training steps of the apps' CNN, each run
 * on the CPU backend and on WebGPU and compared. `runSuite()` returns plain JSON results
 * for the Node side to assert on; nothing here decides pass or fail on its own.
 */
import { buildModel } from '@jute/app-kit/mnist-model';
import { grad, jit, valueAndGrad, vmap } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';
import { bind, type Primitive } from '@jute/tensor/core';

/** One comparison: `maxErr` is the largest error relative to the tolerance (≤ 1 passes). */
export interface CaseResult {
  name: string;
  ok: boolean;
  maxErr: number;
  detail: string;
}

export interface SuiteResult {
  device: string;
  cases: CaseResult[];
  primitivesCovered: string[];
  cnn: { cpuLosses: number[]; gpuLosses: number[]; jitLosses: number[]; readsDuringStep: number };
  memory: { liveAfter: number[]; allocatedAfter: number[] };
  fusion: { dispatchesEager: number; dispatchesJit: number };
  errors: { float64: string; syncRead: string; syncReadName: string };
}

/** A deterministic uniform stream (mulberry32), so both backends get the same inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(12345);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const uniform = (shape: number[], lo = -2, hi = 2) =>
  jt
    .array(Float32Array.from({ length: size(shape) }, () => lo + (hi - lo) * rand()))
    .reshape(shape);
const ints = (shape: number[], lo: number, hi: number) =>
  jt
    .array(
      Int32Array.from({ length: size(shape) }, () => lo + Math.floor((hi - lo) * rand())),
      {
        dtype: 'int32',
      },
    )
    .reshape(shape);
const bools = (shape: number[]) =>
  jt
    .array(
      Uint8Array.from({ length: size(shape) }, () => (rand() < 0.5 ? 1 : 0)),
      { dtype: 'bool' },
    )
    .reshape(shape);

type Outs = jt.Array | jt.Array[];
const asList = (o: Outs): jt.Array[] => (Array.isArray(o) ? o : [o]);

/** Largest error over tolerance: float `|g − c| ≤ atol + rtol·|c|`, exact otherwise; NaNs must match. */
function compareData(
  c: ArrayLike<number>,
  g: ArrayLike<number>,
  float: boolean,
  atol: number,
  rtol: number,
): number {
  if (c.length !== g.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < c.length; i++) {
    const a = c[i]!;
    const b = g[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (!(Number.isNaN(a) && Number.isNaN(b))) return Number.POSITIVE_INFINITY;
      continue;
    }
    if (a === b) continue;
    if (!float) return Number.POSITIVE_INFINITY;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, Math.abs(a - b) / (atol + rtol * Math.abs(a)));
  }
  return worst;
}

/** The index of the first element outside tolerance (for messages). */
function firstBad(c: ArrayLike<number>, g: ArrayLike<number>, atol: number, rtol: number): number {
  for (let i = 0; i < c.length; i++) {
    const a = c[i]!;
    const b = g[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(a)) && a !== b) return i;
  }
  return 0;
}

export async function runSuite(only?: string): Promise<SuiteResult> {
  const gpu = await jt.webgpuBackend();
  const cpu = jt.cpuBackend;
  const cases: CaseResult[] = [];
  const covered = new Set<string>();

  /** Runs `f` on both backends and compares every output. */
  async function check(name: string, f: () => Outs, atol = 1e-5, rtol = 2e-4): Promise<void> {
    if (only !== undefined && !name.includes(only)) return;
    try {
      jt.setBackend(cpu);
      const want = asList(f());
      jt.setBackend(gpu);
      const got = asList(f());
      let worst = 0;
      let detail = '';
      for (let k = 0; k < want.length; k++) {
        const w = want[k]!;
        const g = got[k]!;
        if (w.dtype !== g.dtype || w.shape.join() !== g.shape.join()) {
          worst = Number.POSITIVE_INFINITY;
          detail = `output ${k}: ${g.dtype}[${g.shape}] vs cpu ${w.dtype}[${w.shape}]`;
          break;
        }
        const wd = await w.dataAsync();
        const gd = await g.dataAsync();
        const e = compareData(wd, gd, jt.isFloat(w.dtype), atol, rtol);
        if (e > worst) {
          worst = e;
          const at = firstBad(wd, gd, atol, rtol);
          detail = `output ${k}: at ${at} cpu ${wd[at]} gpu ${gd[at]}`;
        }
      }
      cases.push({ name, ok: worst <= 1, maxErr: worst, detail });
    } catch (e) {
      cases.push({
        name,
        ok: false,
        maxErr: Number.POSITIVE_INFINITY,
        detail: String((e as Error).stack ?? e),
      });
    } finally {
      jt.setBackend(cpu);
    }
  }

  const prim = async (
    p: Primitive,
    inputs: jt.Array[],
    params: object,
    label = '',
    tol?: [number, number],
  ) => {
    covered.add(p);
    await check(
      `${p}${label ? ` ${label}` : ''}`,
      () => bind(p, inputs, params as never),
      tol?.[0],
      tol?.[1],
    );
  };

  // --- Elementwise ------------------------------------------------------------------
  const x = uniform([5, 37]);
  const pos = uniform([5, 37], 0.01, 4);
  const special = jt.array([
    0,
    -0,
    1,
    -1,
    0.5,
    -2.5,
    3.5,
    1e-8,
    -1e-8,
    20,
    -20,
    88,
    Number.NaN,
    Infinity,
    -Infinity,
  ]);
  const unaryF: [Primitive, jt.Array][] = [
    ['neg', x],
    ['exp', x],
    ['log', pos],
    ['expm1', x],
    ['log1p', pos],
    ['sin', x],
    ['cos', x],
    ['tan', uniform([5, 37], -1.3, 1.3)],
    ['tanh', x],
    ['logistic', x],
    ['erf', x],
    ['sqrt', pos],
    ['rsqrt', pos],
    ['abs', x],
    ['sign', x],
    ['floor', x],
    ['ceil', x],
    ['round', x],
    ['is_finite', special],
  ];
  for (const [p, a] of unaryF) await prim(p, [a], {}, 'float32');
  for (const p of [
    'neg',
    'abs',
    'sign',
    'exp',
    'expm1',
    'tanh',
    'logistic',
    'erf',
    'round',
    'floor',
  ] as Primitive[])
    await prim(p, [special], {}, 'special values');
  await prim('round', [jt.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 7.5])], {}, 'half to even');
  for (const p of ['sqrt', 'rsqrt', 'sin', 'cos'] as Primitive[])
    await prim(p, [special], {}, 'special values');
  // log(0) and log1p(-1) are left out: SwiftShader compiles WGSL assuming finite floats
  // and returns about -88 there instead of -inf (WGSL allows it); NaN, negatives and +inf
  // are checked.
  const logSpecial = jt.array([1, 0.5, 1e-8, 20, 88, Number.NaN, Infinity, -2.5, -Infinity]);
  await prim('log', [logSpecial], {}, 'special values');
  await prim('log1p', [logSpecial], {}, 'special values');
  const nanPairs = [
    jt.array([1, Number.NaN, Number.NaN, 2, 100]),
    jt.array([Number.NaN, 1, Number.NaN, 2, 80]),
  ];
  for (const p of ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'max', 'min', 'add'] as Primitive[])
    await prim(p, nanPairs, {}, 'NaN operands');
  const xi = ints([4, 33], -50, 50);
  for (const p of ['neg', 'abs', 'sign'] as Primitive[]) await prim(p, [xi], {}, 'int32');
  await prim('not', [bools([3, 17])], {}, 'bool');

  const y = uniform([5, 37]);
  for (const p of [
    'add',
    'sub',
    'mul',
    'div',
    'max',
    'min',
    'eq',
    'ne',
    'lt',
    'le',
    'gt',
    'ge',
  ] as Primitive[])
    await prim(p, [x, y], {}, 'float32');
  await prim('pow', [pos, y], {}, 'float32');
  await prim(
    'pow',
    [jt.array([-2, -2, -3, 0, 0, -0, 2, -8]), jt.array([2, 3, 0.5, -1, 2, -3, -2, 1 / 3])],
    {},
    'negative bases',
  );
  await prim('max', [jt.array([1, Number.NaN, 3]), jt.array([Number.NaN, 2, 1])], {}, 'NaN');
  await prim('min', [jt.array([1, Number.NaN, 3]), jt.array([Number.NaN, 2, 1])], {}, 'NaN');
  const yi = ints([4, 33], -7, 8);
  for (const p of ['add', 'sub', 'mul', 'div', 'max', 'min', 'eq', 'lt', 'ge'] as Primitive[])
    await prim(p, [xi, yi], {}, 'int32');
  const ba = bools([3, 17]);
  const bb = bools([3, 17]);
  for (const p of ['and', 'or', 'eq', 'ne'] as Primitive[]) await prim(p, [ba, bb], {}, 'bool');
  await prim('select', [bools([5, 37]), x, y], {}, 'float32');
  await prim('select', [bools([4, 33]), xi, yi], {}, 'int32');
  await prim('cast', [uniform([5, 37], -100, 100)], { dtype: 'int32' }, 'f32→i32');
  await prim('cast', [xi], { dtype: 'float32' }, 'i32→f32');
  await prim('cast', [jt.array([0, 1, -0, Number.NaN, 2.5])], { dtype: 'bool' }, 'f32→bool');
  await prim('cast', [ba], { dtype: 'float32' }, 'bool→f32');
  await prim('cast', [xi], { dtype: 'bool' }, 'i32→bool');
  await prim('stop_gradient', [x], {});

  // --- Reductions and scans ----------------------------------------------------------
  const t3 = uniform([4, 5, 6]);
  await prim('reduce_sum', [t3], { axes: [1] }, 'middle axis');
  await prim('reduce_sum', [t3], { axes: [0, 2] }, 'outer axes');
  await prim(
    'reduce_sum',
    [uniform([3, 2000])],
    { axes: [1] },
    'long rows (workgroup)',
    [1e-4, 2e-4],
  );
  await prim('reduce_sum', [uniform([100000], 0, 1)], { axes: [0] }, 'all of 100000', [1e-2, 2e-4]);
  await prim('reduce_sum', [uniform([700, 3])], { axes: [0] }, 'long strided column', [1e-4, 2e-4]);
  await prim('reduce_sum', [xi], { axes: [1] }, 'int32');
  await prim('reduce_max', [t3], { axes: [2] }, 'last axis');
  await prim('reduce_max', [uniform([3, 1500])], { axes: [0, 1] }, 'long');
  await prim(
    'reduce_max',
    [
      jt.array([
        [1, Number.NaN, 3],
        [1, 2, 3],
      ]),
    ],
    { axes: [1] },
    'NaN',
  );
  await prim('reduce_max', [xi], { axes: [0] }, 'int32');
  await prim('argmax', [uniform([7, 10])], { axis: 1 }, 'last axis');
  await prim('argmax', [uniform([7, 10, 3])], { axis: 1 }, 'middle axis');
  await prim(
    'argmax',
    [
      jt.array([
        [1, 3, 3, 0],
        [Number.NaN, 5, Number.NaN, 1],
      ]),
    ],
    { axis: 1 },
    'ties and NaN',
  );
  await prim('cumsum', [t3], { axis: 1, reverse: false }, 'forward');
  await prim('cumsum', [t3], { axis: 2, reverse: true }, 'reverse');
  await prim('cumsum', [xi], { axis: 1, reverse: false }, 'int32');
  await prim('sort', [uniform([5, 9])], { axis: 1 }, 'rows');
  await prim('sort', [ints([6, 4], 0, 3)], { axis: 0 }, 'int32 ties (stable)');
  await prim('sort', [jt.array([3, Number.NaN, 1, 2, Number.NaN, -1])], { axis: 0 }, 'NaN last');

  // --- Data movement -------------------------------------------------------------------
  await prim('broadcast_in_dim', [uniform([3, 1])], { shape: [2, 3, 4], dims: [1, 2] });
  await prim(
    'broadcast_in_dim',
    [xi.reshape([4, 33])],
    { shape: [4, 2, 33], dims: [0, 2] },
    'int32',
  );
  await prim('reshape', [t3], { shape: [20, 6] });
  await prim('transpose', [t3], { perm: [2, 0, 1] });
  await prim('transpose', [bools([3, 4, 5])], { perm: [1, 2, 0] }, 'bool');
  await prim('slice', [t3], { start: [1, 0, 1], limit: [4, 5, 6], strides: [2, 2, 3] });
  await prim('pad', [uniform([3, 4])], { lo: [1, -1], hi: [2, 1], interior: [1, 0], value: -1.5 });
  await prim(
    'pad',
    [uniform([2, 3])],
    { lo: [0, 0], hi: [0, 1], interior: [0, 0], value: Number.NEGATIVE_INFINITY },
    '-inf',
  );
  await prim('concatenate', [uniform([2, 3]), uniform([2, 5]), uniform([2, 1])], { axis: 1 });
  await prim(
    'gather',
    [
      uniform([6, 4]),
      jt.array(
        [
          [5, 0],
          [2, 2],
        ],
        { dtype: 'int32' },
      ),
    ],
    { axis: 0 },
    'rows',
  );
  await prim(
    'gather',
    [uniform([3, 7, 2]), jt.array([6, 1, 1, 0], { dtype: 'int32' })],
    { axis: 1 },
    'middle axis',
  );
  await prim('scatter_add', [uniform([3, 4, 2]), jt.array([1, 1, 0, 4], { dtype: 'int32' })], {
    axis: 1,
    size: 5,
    shape: [3, 5, 2],
  });

  // --- Matmul and patches ----------------------------------------------------------------
  const dg = (c: [number[], number[]], b: [number[], number[]] = [[], []]) => ({
    contract: c,
    batch: b,
  });
  await prim('dot_general', [uniform([33, 47]), uniform([47, 29])], dg([[1], [0]]), 'matrix');
  await prim(
    'dot_general',
    [uniform([130, 70]), uniform([70, 150])],
    dg([[1], [0]]),
    'several tiles',
    [1e-4, 2e-4],
  );
  await prim(
    'dot_general',
    [uniform([130, 68]), uniform([68, 200])],
    dg([[1], [0]]),
    'vec4 path, edge tiles',
    [1e-4, 2e-4],
  );
  await prim(
    'dot_general',
    [uniform([2, 64, 128]), uniform([2, 128, 96])],
    dg([[2], [1]], [[0], [0]]),
    'vec4 path, batched',
    [1e-4, 2e-4],
  );
  await prim(
    'dot_general',
    [ints([8, 12], -3, 4), ints([12, 20], -3, 4)],
    dg([[1], [0]]),
    'int32 vec4',
  );
  await prim(
    'dot_general',
    [uniform([3, 17, 20]), uniform([3, 20, 9])],
    dg([[2], [1]], [[0], [0]]),
    'batched',
  );
  await prim(
    'dot_general',
    [uniform([47, 33]), uniform([47, 29])],
    dg([[0], [0]]),
    'transposed lhs',
  );
  await prim(
    'dot_general',
    [uniform([33, 47]), uniform([29, 47])],
    dg([[1], [1]]),
    'transposed rhs',
  );
  await prim(
    'dot_general',
    [uniform([4, 3, 5]), uniform([5, 2, 4])],
    dg([[2], [0]], [[0], [2]]),
    'permuted axes',
  );
  await prim('dot_general', [ints([9, 6], -3, 4), ints([6, 5], -3, 4)], dg([[1], [0]]), 'int32');
  const conv = (extra: object = {}) => ({
    window: [3, 3],
    strides: [1, 1],
    padding: [
      [0, 0],
      [0, 0],
    ],
    lhsDilation: [1, 1],
    rhsDilation: [1, 1],
    ...extra,
  });
  const img = uniform([2, 7, 7, 3]);
  await prim('conv_patches', [img], conv(), 'VALID');
  await prim(
    'conv_patches',
    [img],
    conv({
      strides: [2, 2],
      padding: [
        [1, 1],
        [1, 2],
      ],
    }),
    'strided, padded',
  );
  await prim('conv_patches', [img], conv({ rhsDilation: [2, 2] }), 'dilated window');
  await prim(
    'conv_patches',
    [img],
    conv({
      lhsDilation: [2, 2],
      padding: [
        [2, 2],
        [2, 2],
      ],
    }),
    'dilated input',
  );
  await prim(
    'conv_patches',
    [uniform([2, 9, 3])],
    { window: [3], strides: [2], padding: [[1, 1]], lhsDilation: [1], rhsDilation: [1] },
    '1-D',
  );
  const tp = (inputShape: number[], extra: object = {}) => ({ ...conv(extra), inputShape });
  await prim('conv_patches_transpose', [uniform([2, 5, 5, 27])], tp([2, 7, 7, 3]), 'VALID');
  await prim(
    'conv_patches_transpose',
    [uniform([2, 4, 4, 27])],
    tp([2, 7, 7, 3], {
      strides: [2, 2],
      padding: [
        [1, 1],
        [1, 2],
      ],
    }),
    'strided, padded',
  );
  await prim(
    'conv_patches_transpose',
    [uniform([2, 3, 3, 27])],
    tp([2, 7, 7, 3], { rhsDilation: [2, 2] }),
    'dilated window',
  );
  await prim(
    'conv_patches_transpose',
    [uniform([2, 5, 3])],
    {
      window: [3],
      strides: [2],
      padding: [[1, 1]],
      lhsDilation: [1],
      rhsDilation: [1],
      inputShape: [2, 9, 1],
    },
    '1-D',
  );
  covered.add('random_sample');
  await check('random_sample uniform', () => jt.random.uniform(jt.random.key(3), [4, 5]));
  await check('random_sample normal', () => jt.random.normal(jt.random.key(4), [100]));

  // --- Transforms ------------------------------------------------------------------------
  const W = uniform([6, 4]);
  const X = uniform([8, 6]);
  const f = (w: jt.Array) => jt.sum(jt.square(jt.tanh(jt.matmul(X, w))));
  await check('grad', () => grad(f)(W), 1e-4, 1e-3);
  await check('vmap', () => vmap((r: jt.Array) => jt.sum(jt.mul(r, r)))(X));
  await check('vmap(grad)', () => vmap(grad((r: jt.Array) => jt.sum(jt.sin(r))))(X));
  const g = jit((w: jt.Array, xs: jt.Array) =>
    jt.mean(jt.logSoftmax(jt.add(jt.matmul(xs, w), 0.5), { axis: -1 })),
  );
  await check('jit', () => g(W, X));
  await check('jit(grad)', () => jit(grad(f))(W), 1e-4, 1e-3);
  await check('grad(jit)', () => grad(jit(f))(W), 1e-4, 1e-3);
  const h = jit((a: jt.Array, b: jt.Array) =>
    jt.sum(jt.scan((c: jt.Array, r: jt.Array) => [jt.add(jt.mul(c, 0.9), r), jt.tanh(c)], a, b)[1]),
  );
  const body = (c: jt.Array, r: jt.Array): [jt.Array, jt.Array] => [
    jt.add(jt.mul(c, 0.9), r),
    jt.tanh(c),
  ];
  const c0 = uniform([4]);
  const rs = uniform([5, 4]);
  await check('scan eager', () => jt.scan(body, c0, rs));
  await check('jit(scan) outputs', () =>
    jit((a: jt.Array, b: jt.Array) => jt.scan(body, a, b))(c0, rs),
  );
  await check('jit(scan)', () => h(c0, rs));

  // Fusion: a chain of elementwise ops is one dispatch inside jit.
  const chain = (a: jt.Array) =>
    jt.mul(jt.tanh(jt.sub(jt.mul(jt.exp(jt.mul(jt.add(jt.sin(a), 1), 0.3)), 0.5), 0.2)), 3);
  jt.setBackend(gpu);
  const a = uniform([1000]);
  chain(a);
  let before = gpu.stats.dispatches;
  chain(a);
  const dispatchesEager = gpu.stats.dispatches - before;
  const cj = jit(chain);
  cj(a);
  before = gpu.stats.dispatches;
  cj(a);
  const dispatchesJit = gpu.stats.dispatches - before;
  jt.setBackend(cpu);
  await check('jit fused chain', () => jit(chain)(a));

  // --- Errors ----------------------------------------------------------------------------
  jt.setBackend(gpu);
  let float64 = '';
  try {
    bind('neg', [jt.array([1, 2], { dtype: 'float64' })], {});
  } catch (e) {
    float64 = `${(e as Error).name}: ${(e as Error).message}`;
  }
  let syncRead = '';
  let syncReadName = '';
  try {
    jt.add(jt.ones([2]), 1).data();
  } catch (e) {
    syncRead = (e as Error).message;
    syncReadName = (e as Error).name;
  }
  jt.setBackend(cpu);

  // --- The apps' CNN ----------------------------------------------------------------------
  const model = buildModel('cnn');
  const batch = 8;
  const images = uniform([batch, 28, 28, 1], 0, 1);
  const labels = ints([batch], 0, 10);
  const opt = optim.adam({ learningRate: 1e-3 });
  const lossFn = (params: unknown, key: jt.Array) => {
    const { y: logits } = model.apply(params as never, images, { key, training: true });
    return jt.mean(losses.sparseSoftmaxCrossEntropy(logits, labels));
  };
  const step = (params: unknown, state: unknown, key: jt.Array) => {
    const [loss, grads] = valueAndGrad(lossFn)(params, key);
    const [updates, next] = opt.update(grads as never, state as never, params as never);
    return [optim.applyUpdates(params, updates), next, loss] as const;
  };
  const train = async (backend: jt.Backend, stepFn: typeof step, steps: number) => {
    jt.setBackend(cpu);
    let { params } = model.init(jt.random.key(0), [batch, 28, 28, 1]) as { params: unknown };
    let state: unknown = opt.init(params as never);
    jt.setBackend(backend);
    const out: number[] = [];
    let reads = 0;
    for (let s = 0; s < steps; s++) {
      const r0 = gpu.stats.reads;
      const [p, st, loss] = stepFn(params, state, jt.random.key(100 + s));
      reads = Math.max(reads, gpu.stats.reads - r0);
      params = p;
      state = st;
      out.push((await loss.dataAsync())[0]!);
    }
    jt.setBackend(cpu);
    return { out, reads };
  };
  const steps = only === undefined ? 3 : 0;
  const cpuRun = await train(cpu, step, steps);
  const gpuRun = await train(gpu, step, steps);
  const jitRun = await train(gpu, jit(step) as unknown as typeof step, steps);

  // --- Bounded memory over a loop that awaits once per step -------------------------------
  const liveAfter: number[] = [];
  const allocatedAfter: number[] = [];
  {
    jt.setBackend(gpu);
    let w = uniform([64, 64], -0.1, 0.1);
    const xs = uniform([128, 64]);
    const lossW = (v: jt.Array) => jt.mean(jt.square(jt.tanh(jt.matmul(xs, v))));
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let s = 0; s < (only === undefined ? 40 : 0); s++) {
      const [l, gw] = valueAndGrad(lossW)(w);
      w = jt.sub(w, jt.mul(gw, 0.1));
      await l.dataAsync();
      if (s % 10 === 9) {
        gc?.();
        await new Promise((r) => setTimeout(r, 0));
        // Finalizers run after collection; a flush moves their buffers out of limbo.
        await jt.add(w, 0).dataAsync();
        const m = gpu.memory();
        liveAfter.push(m.liveBytes);
        allocatedAfter.push(m.allocatedBytes);
      }
    }
    jt.setBackend(cpu);
  }

  return {
    device: gpu.device,
    cases,
    primitivesCovered: [...covered].sort(),
    cnn: {
      cpuLosses: cpuRun.out,
      gpuLosses: gpuRun.out,
      jitLosses: jitRun.out,
      readsDuringStep: Math.max(gpuRun.reads, jitRun.reads),
    },
    memory: { liveAfter, allocatedAfter },
    fusion: { dispatchesEager, dispatchesJit },
    errors: { float64, syncRead, syncReadName },
  };
}

(globalThis as { runSuite?: typeof runSuite }).runSuite = runSuite;
