/**
 * One case per primitive of `jc.ALL_PRIMITIVES`: derivatives checked with `checkGrads`
 * (or zero tangents for piecewise-constant ones) and the batching rule checked against a
 * loop. A primitive added to the closed set without a case fails to compile here and
 * fails the key test below.
 */
import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { describe, expect, test } from 'vitest';
import { checkGrads, checkpoint, customVjp, grad, jit, jvp, makeJaxpr, vjp } from './index';
import {
  awayFromZero,
  expectBatchingMatchesLoop,
  expectClose,
  expectZeros,
  primitivesBound,
  randi,
  randn,
  randu,
} from './test-utils';

type Fn = (...xs: jt.Array[]) => jt.Array | jt.Array[];

interface Case {
  /** Exercises the primitive through the public op that binds it. */
  f: Fn;
  /** Inputs for a seed (same shapes and dtypes for every seed, in a safe domain). */
  args: (seed: number) => jt.Array[];
  /**
   * `both`: checkGrads in forward and reverse mode; `zero`: tangents and cotangents are
   * zero; `fwd`: forward mode only (reverse must throw a TraceError).
   */
  grad: 'both' | 'zero' | 'fwd';
  /** The leading `diff` arguments are differentiated; the rest (indices) are held fixed. Default all. */
  diff?: number;
  /** Derivative order checked (default 1). */
  order?: number;
  eps?: number;
  tolerance?: number;
  /** Batching variants (one axis or null per argument); all-zero is always checked. */
  inAxes?: (number | null)[][] | undefined;
}

const float = (shape: jt.Shape) => (s: number) => [randn(s, shape)];
const positive =
  (shape: jt.Shape, lo = 0.5, hi = 2) =>
  (s: number) => [randu(s, shape, lo, hi)];
const two = (shape: jt.Shape) => (s: number) => [randn(s, shape, 0), randn(s, shape, 1)];
const S = [2, 3];
const BIN_AXES = [
  [1, null],
  [null, 2],
  [2, 1],
];

/** A unary elementwise primitive with a smooth derivative on its domain. */
const smooth = (
  f: (x: jt.Array) => jt.Array,
  args: (s: number) => jt.Array[] = float(S),
): Case => ({
  f,
  args,
  grad: 'both',
  order: 2,
  inAxes: [[1]],
});
const zero = (
  f: Fn,
  args: (s: number) => jt.Array[] = float(S),
  inAxes?: (number | null)[][],
): Case => ({
  f,
  args,
  grad: 'zero',
  inAxes,
});
const binary = (
  f: (x: jt.Array, y: jt.Array) => jt.Array,
  args: (s: number) => jt.Array[] = two(S),
  order = 2,
): Case => ({
  f: f as Fn,
  args,
  grad: 'both',
  order,
  inAxes: BIN_AXES,
});

const gt0 = (x: jt.Array) => jt.greater(x, 0);
const sinsin = (x: jt.Array) => jt.sin(jt.sin(x));
/** A customVjp sine whose bwd is the true derivative (so finite differences apply). */
const vjpSin = customVjp(
  (x: jt.Array) => jt.sin(x),
  (x: jt.Array) => [jt.sin(x), x] as [jt.Array, jt.Array],
  (x: jt.Array, g: jt.Array) => [jt.mul(g, jt.cos(x))],
);

const jitted = jit((x: jt.Array, y: jt.Array) => [jt.mul(jt.sin(x), y), jt.tanh(jt.sub(x, y))]);

const patchParams = {
  window: [2, 2],
  strides: [1, 1],
  padding: [
    [0, 0],
    [0, 0],
  ] as [number, number][],
  lhsDilation: [1, 1],
  rhsDilation: [1, 1],
};

const cases: { [P in jc.Primitive]: Case } = {
  neg: smooth(jt.neg),
  exp: smooth(jt.exp),
  log: smooth(jt.log, positive(S)),
  expm1: smooth(jt.expm1),
  log1p: smooth(jt.log1p, positive(S, -0.5, 1)),
  sin: smooth(jt.sin),
  cos: smooth(jt.cos),
  tan: smooth(jt.tan, positive(S, -1, 1)),
  tanh: smooth(jt.tanh),
  logistic: smooth(jt.sigmoid),
  erf: smooth(jt.erf),
  sqrt: smooth(jt.sqrt, positive(S)),
  rsqrt: smooth(jt.rsqrt, positive(S)),
  abs: smooth(jt.abs, (s) => [awayFromZero(s, S, 0.2, 2)]),
  sign: zero(jt.sign, (s) => [awayFromZero(s, S, 0.2, 2)]),
  floor: zero(jt.floor, (s) => [jt.mul(randn(s, S), 3)]),
  ceil: zero(jt.ceil, (s) => [jt.mul(randn(s, S), 3)]),
  round: zero(jt.round, (s) => [jt.mul(randn(s, S), 3)]),
  not: zero((x) => jt.logicalNot(gt0(x))),
  is_finite: zero((x) => jt.isFinite(jt.div(1, x))),
  add: binary(jt.add),
  sub: binary(jt.sub),
  mul: binary(jt.mul),
  div: binary(jt.div, (s) => [randn(s, S), awayFromZero(s, S, 0.5, 2, 1)]),
  pow: binary(jt.pow, (s) => [randu(s, S, 0.5, 2), randn(s, S, 1)]),
  max: binary(jt.maximum, two(S), 1),
  min: binary(jt.minimum, two(S), 1),
  eq: zero((x, y) => jt.equal(jt.round(x!), jt.round(y!)), two(S), BIN_AXES),
  ne: zero((x, y) => jt.notEqual(jt.round(x!), jt.round(y!)), two(S), BIN_AXES),
  lt: zero((x, y) => jt.less(x!, y!), two(S), BIN_AXES),
  le: zero((x, y) => jt.lessEqual(x!, y!), two(S), BIN_AXES),
  gt: zero((x, y) => jt.greater(x!, y!), two(S), BIN_AXES),
  ge: zero((x, y) => jt.greaterEqual(x!, y!), two(S), BIN_AXES),
  and: zero((x, y) => jt.logicalAnd(gt0(x!), gt0(y!)), two(S), BIN_AXES),
  or: zero((x, y) => jt.logicalOr(gt0(x!), gt0(y!)), two(S), BIN_AXES),
  select: {
    f: (c, x, y) => jt.where(gt0(c!), jt.sin(x!), jt.mul(y!, y!)),
    args: (s) => [awayFromZero(s, S, 0.1, 1), randn(s, S, 1), randn(s, S, 2)],
    grad: 'both',
    order: 2,
    inAxes: [
      [null, 0, 1],
      [1, null, null],
      [0, 1, null],
    ],
  },
  // float64 → float32 → float64 loses precision, hence the wider step and tolerance.
  cast: {
    f: (x) => [
      jt.cast(jt.sin(jt.cast(x!, 'float32')), 'float64'),
      jt.cast(jt.cast(jt.mul(x!, 3), 'int32'), 'float64'),
    ],
    args: float(S),
    grad: 'both',
    eps: 1e-3,
    tolerance: 1e-3,
    inAxes: [[1]],
  },
  stop_gradient: zero(jt.stopGradient),
  reduce_sum: {
    f: (x) => [jt.sum(x!, { axis: 1 }), jt.sum(x!, { axis: [0, 2], keepdims: true })],
    args: float([2, 3, 4]),
    grad: 'both',
    order: 2,
    inAxes: [[2], [3]],
  },
  reduce_max: {
    f: (x) => [jt.max(x!, { axis: 1 }), jt.max(x!)],
    args: float([2, 3, 4]),
    grad: 'both',
    inAxes: [[1]],
  },
  argmax: zero((x) => [jt.argmax(x!, { axis: 1 }), jt.argmin(x!, { axis: 0 })], float([3, 4]), [
    [1],
    [2],
  ]),
  cumsum: {
    f: (x) => [jt.cumsum(x!, { axis: 0 }), jt.cumsum(x!, { axis: 1, reverse: true })],
    args: float([3, 4]),
    grad: 'both',
    inAxes: [[1], [2]],
  },
  sort: {
    f: (x) => [jt.sort(x!, { axis: 0 }), jt.sort(x!)],
    args: float([4, 3]),
    grad: 'both',
    inAxes: [[1], [2]],
  },
  broadcast_in_dim: {
    f: (x) => jt.broadcastTo(x!, [3, 2, 4]),
    args: float([2, 1]),
    grad: 'both',
    inAxes: [[1], [2]],
  },
  reshape: {
    f: (x) => [jt.reshape(x!, [3, 4]), jt.ravel(x!)],
    args: float([2, 3, 2]),
    grad: 'both',
    inAxes: [[1], [3]],
  },
  transpose: {
    f: (x) => jt.transpose(x!, [2, 0, 1]),
    args: float([2, 3, 4]),
    grad: 'both',
    inAxes: [[1], [3]],
  },
  slice: {
    f: (x) => [jt.slice(x!, [0, 1], [2, null], [1, 2]), jt.slice(x!, [1, 0], [3, 3])],
    args: float([3, 5]),
    grad: 'both',
    inAxes: [[1], [2]],
  },
  pad: {
    f: (x) => [
      jt.pad(
        x!,
        [
          [1, 2],
          [0, 1],
        ],
        { value: 3 },
      ),
      jc.bind1('pad', [x!], { lo: [1, 0], hi: [0, 2], interior: [1, 2], value: 0.5 }),
    ],
    args: float([2, 3]),
    grad: 'both',
    inAxes: [[1], [2]],
  },
  concatenate: {
    f: (x, y) => [jt.concatenate([x!, y!], 1), jt.stack([jt.sin(x!), x!], 0)],
    args: (s) => [randn(s, [2, 3]), randn(s, [2, 2], 1)],
    grad: 'both',
    inAxes: BIN_AXES,
  },
  gather: {
    f: (x, idx) => [jt.take(x!, idx!, { axis: 1 }), jt.take(x!, idx!, { axis: 0 })],
    args: (s) => [randn(s, [4, 4, 2]), randi(s, [2, 3], 0, 4, 1)],
    grad: 'both',
    diff: 1,
    inAxes: [
      [null, 0],
      [2, null],
      [1, 2],
      [3, 0],
    ],
  },
  scatter_add: {
    // at(...).add is scatter_add on axis 0; axis 1 (the transpose of a gather on axis 1) is bound directly.
    f: (x, v, u, idx) => [
      jt.at(x!, idx!).add(v!),
      jc.bind1('scatter_add', [u!, idx!], { axis: 1, size: 4, shape: [2, 4, 3] }),
    ],
    args: (s) => [
      randn(s, [4, 3]),
      randn(s, [2, 2, 3], 1),
      randn(s, [2, 2, 2, 3], 2),
      randi(s, [2, 2], 0, 4, 3),
    ],
    grad: 'both',
    diff: 3,
    inAxes: [
      [null, null, null, 0],
      [1, 2, 3, null],
      [0, null, 1, 1],
      [null, 3, null, 2],
    ],
  },
  dot_general: {
    f: (a, b, c, d) => [jt.matmul(a!, b!), jt.matmul(c!, d!), jt.dot(a!, jt.sin(b!))],
    args: (s) => [
      randn(s, [2, 3]),
      randn(s, [3, 4], 1),
      randn(s, [2, 2, 3], 2),
      randn(s, [2, 3, 2], 3),
    ],
    grad: 'both',
    order: 2,
    inAxes: [
      [0, null, 0, null],
      [null, 1, null, 2],
      [2, 0, 1, 3],
    ],
  },
  conv_patches: {
    f: (x, w) => [
      jt.conv(x!, w!, { strides: 2, padding: 'SAME' }),
      jt.conv(x!, w!, { dilation: 2, padding: 'VALID' }),
      jt.maxPool(x!, { window: [2, 2], strides: [1, 1], padding: 'SAME' }),
    ],
    args: (s) => [randn(s, [1, 5, 5, 2]), randn(s, [3, 3, 2, 2], 1)],
    grad: 'both',
    inAxes: [
      [0, null],
      [null, 4],
      [2, 0],
    ],
  },
  conv_patches_transpose: {
    f: (x) =>
      jc.bind1('conv_patches_transpose', [x!], { ...patchParams, inputShape: [1, 5, 5, 2] }),
    args: float([1, 4, 4, 8]),
    grad: 'both',
    inAxes: [[3]],
  },
  scan: {
    f: (h0, xs, w) =>
      jt.scan(
        (h: jt.Array, x: jt.Array) => {
          const h2 = jt.tanh(jt.add(jt.matmul(h, w!), x));
          return [h2, jt.mul(h2, h2)] as [jt.Array, jt.Array];
        },
        h0!,
        xs!,
      ),
    args: (s) => [randn(s, [3]), randn(s, [4, 3], 1), jt.mul(randn(s, [3, 3], 2), 0.5)],
    grad: 'both',
    order: 2,
    inAxes: [
      [0, null, null],
      [null, 1, null],
      [null, null, 2],
    ],
  },
  cond: {
    f: (p, x) =>
      jt.cond(
        gt0(p!),
        (v: jt.Array) => jt.sin(v),
        (v: jt.Array) => jt.mul(jt.cos(v), v),
        x!,
      ),
    args: (s) => [awayFromZero(s, [], 0.5, 1), randn(s, [3], 1)],
    grad: 'both',
    order: 2,
    inAxes: [
      [null, 0],
      [0, null],
      [0, 1],
    ],
  },
  while: {
    f: (x) => [
      // A counted loop and one whose trip count depends on the data (per lane under vmap).
      jt.whileLoop(
        ([, i]: [jt.Array, jt.Array]) => jt.less(i, 3),
        ([v, i]: [jt.Array, jt.Array]) =>
          [jt.mul(jt.sin(v), 1.5), jt.add(i, 1)] as [jt.Array, jt.Array],
        [x!, jt.array(0, { dtype: 'int32' })],
      )[0],
      jt.whileLoop(
        (c: jt.Array) => jt.less(jt.max(c), 10),
        (c: jt.Array) => jt.mul(c, 2.5),
        jt.add(jt.abs(x!), 0.3),
      ),
    ],
    args: float(S),
    grad: 'fwd',
    inAxes: [[1]],
  },
  // Bound only under differentiation: the tangent map of a checkpointed function.
  custom_linear: {
    f: (x) => [
      jvp(checkpoint(sinsin), [x!], [jt.cos(x!)])[1],
      jt.mul(grad((y: jt.Array) => jt.sum(vjpSin(y)))(x!), x!),
    ],
    args: float(S),
    grad: 'both',
    inAxes: [[1]],
  },
  // Samples scale a differentiable input; a per-example key is checked in jit.test.ts.
  random_sample: {
    // The key depends on x (always [0, 3]), so tracing sees the primitive.
    f: (x) => {
      const zero = jt.cast(jt.mul(jt.sum(x!), 0), 'int32');
      const key = jt.add(jt.broadcastTo(zero, [2]), jt.random.key(3));
      return jt.mul(x!, jt.random.normal(key, x!.shape));
    },
    args: float(S),
    grad: 'both',
    inAxes: [[1]],
  },
  // A jitted call inside the transforms: one primitive with its own JVP and batching rules.
  jit_call: {
    f: (x, y) => jitted(x!, y!),
    args: two(S),
    grad: 'both',
    order: 2,
    inAxes: BIN_AXES,
  },
};

const B = 3;
const SEEDS = [11, 12, 13];

/** Batched inputs: argument k stacks the k-th input of three seeds along its axis. */
function batchedArgs(c: Case, inAxes: readonly (number | null)[]): jt.Array[] {
  const per = SEEDS.map((s) => c.args(s));
  const shared = c.args(7);
  return shared.map((a, k) =>
    inAxes[k] === null
      ? a
      : jt.stack(
          per.map((p) => p[k]!),
          inAxes[k]!,
        ),
  );
}

/** `f` restricted to its differentiated arguments (indices held fixed). */
function diffPart(
  c: Case,
  args: jt.Array[],
): [(...xs: jt.Array[]) => jt.Array | jt.Array[], jt.Array[]] {
  const n = c.diff ?? args.length;
  const fixed = args.slice(n);
  return [(...xs: jt.Array[]) => c.f(...xs, ...fixed), args.slice(0, n)];
}

const asList = (o: jt.Array | jt.Array[]) => (Array.isArray(o) ? o : [o]);

describe('per-primitive table', () => {
  test('has one case per primitive of ALL_PRIMITIVES', () => {
    expect(Object.keys(cases).sort()).toEqual([...jc.ALL_PRIMITIVES].sort());
  });

  describe.each(jc.ALL_PRIMITIVES.map((p) => [p, cases[p]] as const))('%s', (prim, c) => {
    const args = c.args(1);

    test('binds the primitive', () => {
      expect([...primitivesBound(c.f, args)]).toContain(prim);
    });

    test('derivatives', () => {
      const [f, xs] = diffPart(c, args);
      if (c.grad === 'zero') {
        const ts = xs.map((x, i) => randn(5, x.shape, i));
        expectZeros(jvp(f, xs, ts)[1], `${prim}: JVP tangent`);
        const [, back] = vjp(
          (...a: jt.Array[]) => asList(f(...a)).map((o) => jt.sum(jt.cast(o, 'float64'))),
          ...xs,
        );
        expectZeros(
          back(asList(f(...xs)).map(() => jt.array(1, { dtype: 'float64' }))),
          `${prim}: VJP cotangent`,
        );
        return;
      }
      const modes = c.grad === 'fwd' ? (['fwd'] as const) : (['fwd', 'rev'] as const);
      const options = { modes, order: c.order ?? 1, eps: c.eps, tolerance: c.tolerance };
      for (const seed of [0, 1])
        checkGrads(f, xs, {
          ...options,
          seed,
          eps: options.eps ?? 1e-4,
          tolerance: options.tolerance ?? 1e-5,
        });
      if (c.grad === 'fwd') {
        expect(() => vjp(f, ...xs)).toThrow(jt.TraceError);
        expect(() => grad((...a: jt.Array[]) => jt.sum(asList(f(...a))[0]!))(...xs)).toThrow(
          /not reverse-mode differentiable/,
        );
      }
    });

    test('jit matches eager, through a well-typed jaxpr', () => {
      jc.typecheckJaxpr(makeJaxpr(c.f)(...args).jaxpr);
      const eager = asList(c.f(...args));
      const compiled = asList(jit(c.f)(...args));
      expect(compiled.length).toBe(eager.length);
      compiled.forEach((o, i) => {
        expectClose(o, eager[i]!);
      });
    });

    test('batching matches a loop', () => {
      const n = args.length;
      for (const inAxes of [Array<number | null>(n).fill(0), ...(c.inAxes ?? [])]) {
        expectBatchingMatchesLoop(c.f, batchedArgs(c, inAxes), inAxes, B);
      }
    });
  });
});

describe('zero tangents of non-differentiable outputs', () => {
  test('cast to int and argsort indices carry no tangent', () => {
    const x = randn(3, [4]);
    const [, t] = jvp((a: jt.Array) => [jt.cast(a, 'int32'), jt.argsort(a)], [x], [jt.onesLike(x)]);
    expectZeros(t, 'int outputs');
    expect((t as jt.Array[])[0]!.dtype).toBe('int32');
  });

  test('max/min split the derivative evenly at ties', () => {
    const x = jt.array([1, 2], { dtype: 'float64' });
    expectClose(
      grad((a: jt.Array) => jt.sum(jt.maximum(a, 1)))(x),
      jt.array([0.5, 1], { dtype: 'float64' }),
    );
    expectClose(
      grad((a: jt.Array) => jt.max(jt.array([3, 3], { dtype: 'float64' }).mul(a)))(
        jt.array(2, { dtype: 'float64' }),
      ),
      jt.array(3, { dtype: 'float64' }),
    );
  });
});
