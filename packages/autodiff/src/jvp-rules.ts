import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { jitCallJvp } from './jit-rules';
import { jvpFlat } from './jvp';
import { addTangents, instantiate, mapTangent, type Tangent } from './tangent';

type JvpRule<P extends jc.Primitive> = (
  primals: jt.Array[],
  tangents: Tangent[],
  params: jc.PrimitiveParams[P],
  /** The JVP level processing the primitive (closures run as copies of it). */
  main: jc.MainTrace,
) => [jt.Array[], Tangent[]];

const NONE = {} as Record<string, never>;
const same = (prim: jc.Primitive, x: jt.Array, params: unknown = NONE) =>
  jc.bind1(prim, [x], params as never);

/** A rule for `y = f(x)` whose derivative is `dy = t · g(x, y)`. */
const unary =
  (
    prim: jc.UnaryPrimitive,
    scale: (x: jt.Array, y: jt.Array) => jt.Array,
  ): JvpRule<jc.UnaryPrimitive> =>
  ([x], [t]) => {
    const y = same(prim, x!);
    return [[y], [mapTangent(t!, (tt) => jt.mul(tt, scale(x!, y)))]];
  };

/** Piecewise-constant or non-float outputs: the tangent is zero. */
const zeroTangent =
  <P extends jc.Primitive>(prim: P): JvpRule<P> =>
  (xs, _ts, params) => {
    const outs = jc.bind(prim, xs, params);
    return [outs, outs.map(() => null)];
  };

/** Linear primitives: apply the same primitive to the tangents. */
const linear =
  <P extends jc.Primitive>(prim: P, zeroIn?: (i: number) => boolean): JvpRule<P> =>
  (xs, ts, params) => {
    const y = jc.bind(prim, xs, params);
    if (ts.every((t, i) => t === null || zeroIn?.(i))) return [y, y.map(() => null)];
    const tIn = xs.map((x, i) => (zeroIn?.(i) ? x : instantiate(ts[i] ?? null, x)));
    return [y, jc.bind(prim, tIn, params)];
  };

const maxLike =
  <P extends 'max' | 'min'>(prim: P): JvpRule<P> =>
  ([x, y], [tx, ty]) => {
    const out = jc.bind1(prim, [x!, y!], NONE);
    if (tx === null && ty === null) return [[out], [null]];
    // Ties split the derivative evenly, as JAX does.
    const wins = prim === 'max' ? jt.greater(x!, y!) : jt.less(x!, y!);
    const wx = jt.add(jt.cast(wins, x!.dtype), jt.mul(jt.cast(jt.equal(x!, y!), x!.dtype), 0.5));
    const a = mapTangent(tx!, (t) => jt.mul(t, wx));
    const b = mapTangent(ty!, (t) => jt.mul(t, jt.sub(1, wx)));
    return [[out], [addTangents(a, b)]];
  };

/** Wraps a flat closure so it maps `[primals..., tangents...]` through its JVP. */
function jvpClosure(
  f: (args: readonly jt.Array[]) => jt.Array[],
  n: number,
  main: jc.MainTrace,
): (args: readonly jt.Array[]) => jt.Array[] {
  return (args) => {
    const [p, t] = jvpFlat((a) => f(a), args.slice(0, n), args.slice(n), main);
    return [...p, ...t];
  };
}

const withTangents = (xs: readonly jt.Array[], ts: readonly Tangent[]) =>
  xs.map((x, i) => instantiate(ts[i] ?? null, x));
const doubled = (avals: readonly jt.AbstractValue[]) => [...avals, ...avals];

export const jvpRules: { [P in jc.Primitive]: JvpRule<P> } = {
  neg: linear('neg'),
  exp: unary('exp', (_x, y) => y),
  log: unary('log', (x) => jt.div(1, x)),
  expm1: unary('expm1', (_x, y) => jt.add(y, 1)),
  log1p: unary('log1p', (x) => jt.div(1, jt.add(x, 1))),
  sin: unary('sin', (x) => jt.cos(x)),
  cos: unary('cos', (x) => jt.neg(jt.sin(x))),
  tan: unary('tan', (_x, y) => jt.add(1, jt.square(y))),
  tanh: unary('tanh', (_x, y) => jt.sub(1, jt.square(y))),
  logistic: unary('logistic', (_x, y) => jt.mul(y, jt.sub(1, y))),
  erf: unary('erf', (x) => jt.mul(2 / Math.sqrt(Math.PI), jt.exp(jt.neg(jt.square(x))))),
  sqrt: unary('sqrt', (_x, y) => jt.div(0.5, y)),
  rsqrt: unary('rsqrt', (x, y) => jt.div(jt.mul(y, -0.5), x)),
  abs: unary('abs', (x) => jt.sign(x)),
  sign: zeroTangent('sign'),
  floor: zeroTangent('floor'),
  ceil: zeroTangent('ceil'),
  round: zeroTangent('round'),
  not: zeroTangent('not'),
  is_finite: zeroTangent('is_finite'),
  add: ([x, y], [tx, ty]) => [[jc.bind1('add', [x!, y!], NONE)], [addTangents(tx!, ty!)]],
  sub: ([x, y], [tx, ty]) => [
    [jc.bind1('sub', [x!, y!], NONE)],
    [addTangents(tx!, mapTangent(ty!, jt.neg))],
  ],
  mul: ([x, y], [tx, ty]) => [
    [jc.bind1('mul', [x!, y!], NONE)],
    [
      addTangents(
        mapTangent(tx!, (t) => jt.mul(t, y!)),
        mapTangent(ty!, (t) => jt.mul(x!, t)),
      ),
    ],
  ],
  div: ([x, y], [tx, ty]) => {
    const out = jc.bind1('div', [x!, y!], NONE);
    const a = mapTangent(tx!, (t) => jt.div(t, y!));
    const b = mapTangent(ty!, (t) => jt.neg(jt.div(jt.mul(t, out), y!)));
    return [[out], [addTangents(a, b)]];
  },
  pow: ([x, y], [tx, ty]) => {
    const out = jc.bind1('pow', [x!, y!], NONE);
    const a = mapTangent(tx!, (t) => jt.mul(t, jt.mul(y!, jt.pow(x!, jt.sub(y!, 1)))));
    // d/dy x^y = log(x)·x^y; taken as 0 at x = 0 (where x^y is flat for y > 0).
    const b = mapTangent(ty!, (t) =>
      jt.mul(t, jt.where(jt.equal(x!, 0), 0, jt.mul(jt.log(x!), out))),
    );
    return [[out], [addTangents(a, b)]];
  },
  max: maxLike('max'),
  min: maxLike('min'),
  eq: zeroTangent('eq'),
  ne: zeroTangent('ne'),
  lt: zeroTangent('lt'),
  le: zeroTangent('le'),
  gt: zeroTangent('gt'),
  ge: zeroTangent('ge'),
  and: zeroTangent('and'),
  or: zeroTangent('or'),
  select: linear('select', (i) => i === 0),
  cast: ([x], [t], params) => {
    const y = jc.bind1('cast', [x!], params);
    const keeps = jt.isFloat(x!.dtype) && jt.isFloat(params.dtype);
    return [[y], [keeps ? mapTangent(t!, (tt) => jt.cast(tt, params.dtype)) : null]];
  },
  stop_gradient: ([x]) => [[jt.stopGradient(x!)], [null]],
  reduce_sum: linear('reduce_sum'),
  reduce_max: ([x], [t], params) => {
    const y = jc.bind1('reduce_max', [x!], params);
    if (t === null) return [[y], [null]];
    // The derivative flows to the maximal entries, shared among ties.
    const kept = x!.shape.map((d, i) => (params.axes.includes(i) ? 1 : d));
    const mask = jt.cast(jt.equal(x!, jt.reshape(y, kept)), x!.dtype);
    const num = jc.bind1('reduce_sum', [jt.mul(t!, mask)], params);
    const den = jc.bind1('reduce_sum', [mask], params);
    return [[y], [jt.div(num, den)]];
  },
  argmax: zeroTangent('argmax'),
  random_sample: zeroTangent('random_sample'),
  cumsum: linear('cumsum'),
  sort: ([x], [t], params) => {
    const [values, indices] = jc.bind('sort', [x!], params);
    const tv = mapTangent(t!, (tt) => jt.takeAlongAxis(tt, indices!, params.axis));
    return [
      [values!, indices!],
      [tv, null],
    ];
  },
  broadcast_in_dim: linear('broadcast_in_dim'),
  reshape: linear('reshape'),
  transpose: linear('transpose'),
  slice: linear('slice'),
  pad: ([x], [t], params) => [
    [jc.bind1('pad', [x!], params)],
    [mapTangent(t!, (tt) => jc.bind1('pad', [tt], { ...params, value: 0 }))],
  ],
  concatenate: linear('concatenate'),
  gather: linear('gather', (i) => i === 1),
  scatter_add: linear('scatter_add', (i) => i === 1),
  dot_general: ([a, b], [ta, tb], params) => [
    [jc.bind1('dot_general', [a!, b!], params)],
    [
      addTangents(
        mapTangent(ta!, (t) => jc.bind1('dot_general', [t, b!], params)),
        mapTangent(tb!, (t) => jc.bind1('dot_general', [a!, t], params)),
      ),
    ],
  ],
  conv_patches: linear('conv_patches'),
  conv_patches_transpose: linear('conv_patches_transpose'),
  // Not `linear`: the closures may capture tracers of this very level (checkpoint's
  // primals, customVjp's residuals), so the map itself has a derivative here. Run
  // `forward` as a copy of this level, which sees those tracers with their tangents.
  custom_linear: (xs, ts, p, main) => jvpFlat((a) => p.forward(a), xs, ts, main),
  jit_call: (xs, ts, p) => jitCallJvp(xs, ts, p),
  scan: (xs, ts, p, main) => {
    // Scan over the JVP of the body; inputs regrouped as consts, carry, xs each with tangents.
    const nc = p.numConsts;
    const nk = p.numCarry;
    const all = withTangents(xs, ts);
    const consts = [...xs.slice(0, nc), ...all.slice(0, nc)];
    const carry = [...xs.slice(nc, nc + nk), ...all.slice(nc, nc + nk)];
    const xsP = xs.slice(nc + nk);
    const xsT = all.slice(nc + nk);
    const nx = xsP.length;
    const ny = p.yAvals.length;
    const inner = jvpClosure(p.body, nc + nk + nx, main);
    const body = (args: readonly jt.Array[]): jt.Array[] => {
      const cP = args.slice(0, nc);
      const cT = args.slice(nc, 2 * nc);
      const kP = args.slice(2 * nc, 2 * nc + nk);
      const kT = args.slice(2 * nc + nk, 2 * nc + 2 * nk);
      const xP = args.slice(2 * nc + 2 * nk, 2 * nc + 2 * nk + nx);
      const xT = args.slice(2 * nc + 2 * nk + nx);
      const out = inner([...cP, ...kP, ...xP, ...cT, ...kT, ...xT]);
      const m = nk + ny;
      const [oP, oT] = [out.slice(0, m), out.slice(m)];
      return [...oP.slice(0, nk), ...oT.slice(0, nk), ...oP.slice(nk), ...oT.slice(nk)];
    };
    const { bodyJaxpr: _, ...rest } = p;
    const outs = jc.bind('scan', [...consts, ...carry, ...xsP, ...xsT], {
      ...rest,
      body,
      numConsts: 2 * nc,
      numCarry: 2 * nk,
      yAvals: doubled(p.yAvals),
    });
    return [
      [...outs.slice(0, nk), ...outs.slice(2 * nk, 2 * nk + ny)],
      [...outs.slice(nk, 2 * nk), ...outs.slice(2 * nk + ny)],
    ];
  },
  cond: ([index, ...ops], [, ...ts], p, main) => {
    const n = ops.length;
    const branches = p.branches.map((b) => jvpClosure(b, n, main));
    const outs = jc.bind('cond', [index!, ...ops, ...withTangents(ops, ts)], {
      branches,
      outAvals: doubled(p.outAvals),
    });
    const m = p.outAvals.length;
    return [outs.slice(0, m), outs.slice(m)];
  },
  while: (xs, ts, p, main) => {
    const n = xs.length;
    const body = jvpClosure(p.body, n, main);
    const outs = jc.bind('while', [...xs, ...withTangents(xs, ts)], {
      cond: (a) => p.cond(a.slice(0, n)),
      body,
    });
    return [outs.slice(0, n), outs.slice(n)];
  },
};
