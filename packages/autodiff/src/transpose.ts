import * as jt from '@jute/tensor';
import type { Jaxpr, Var } from '@jute/tensor/core';
import * as jc from '@jute/tensor/core';
import { addDense, addPiece, type CotangentSum, emptySum, pieceAxis, total } from './cotangent-sum';
import { jitCallTranspose } from './jit-rules';
import { stepAval } from './scan-partial-eval';
import type { Tangent } from './tangent';

/** Marks an input the equation is linear in: its value is what transposition solves for. */
export class LinearInput {
  constructor(readonly aval: jt.AbstractValue) {}
}

type In = jt.Array | LinearInput;
type TransposeRule<P extends jc.Primitive> = (
  cts: jt.Array[],
  inputs: In[],
  params: jc.PrimitiveParams[P],
) => Tangent[];

const isLin = (x: In | undefined): x is LinearInput => x instanceof LinearInput;
const NONE = {} as Record<string, never>;

function notLinear(prim: string): TransposeRule<jc.Primitive> {
  return () => {
    throw new jt.TraceError(
      `transpose: primitive '${prim}' is not linear (this is a bug in a JVP rule)`,
    );
  };
}

const inverse = (perm: readonly number[]) => {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
};

/** Sums `ct` down to `shape` over the axes `broadcast_in_dim` created or expanded. */
function unbroadcast(ct: jt.Array, inShape: jt.Shape, dims: readonly number[]): jt.Array {
  const newAxes = ct.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const expanded = dims.filter((d, i) => inShape[i] === 1 && ct.shape[d] !== 1);
  const axes = [...newAxes, ...expanded].sort((a, b) => a - b);
  const summed = axes.length ? jc.bind1('reduce_sum', [ct], { axes }) : ct;
  return jt.reshape(summed, inShape);
}

/**
 * Cotangent of one dot_general operand: contract `ct` with the other operand. The
 * product's operand order is chosen so that its axes come out in the operand's own order
 * in the common cases (`x @ w`: `ct @ wᵀ` and `xᵀ @ ct`), so no transpose follows; the
 * backend reads transposed operands in place.
 */
function dotTranspose(
  ct: jt.Array,
  other: jt.Array,
  p: jc.PrimitiveParams['dot_general'],
  wrtLhs: boolean,
  aval: jt.AbstractValue,
): jt.Array {
  const [lc, rc] = p.contract;
  const [lb, rb] = p.batch;
  const nb = lb.length;
  const [myC, otC, myB, otB] = wrtLhs ? [lc, rc, lb, rb] : [rc, lc, rb, lb];
  const myRank = aval.shape.length;
  const otherRank = other.ndim;
  const lRank = wrtLhs ? myRank : otherRank;
  const lFree = [...Array(lRank).keys()].filter((i) => !lc.includes(i) && !lb.includes(i)).length;
  const myFree = [...Array(myRank).keys()].filter((i) => !myC.includes(i) && !myB.includes(i));
  const otFree = [...Array(otherRank).keys()].filter((i) => !otC.includes(i) && !otB.includes(i));
  // Positions of the other operand's free axes inside ct.
  const ctOtFree = otFree.map((_, j) => nb + (wrtLhs ? lFree + j : j));
  const ctBatch = [...Array(nb).keys()];
  // The other operand's remaining (contracted-with-me) axes, labelled by my axes.
  const otRemaining = [...Array(otherRank).keys()].filter((i) => otC.includes(i));
  const fromOther = otRemaining.map((o) => myC[otC.indexOf(o)]!);
  // out axes: batch (myB order), then the free axes of the first operand, then the second's.
  const [out, labels] = wrtLhs
    ? [
        jc.bind1('dot_general', [ct, other], {
          contract: [ctOtFree, otFree],
          batch: [ctBatch, otB],
        }),
        [...myB, ...myFree, ...fromOther],
      ]
    : [
        jc.bind1('dot_general', [other, ct], {
          contract: [otFree, ctOtFree],
          batch: [otB, ctBatch],
        }),
        [...myB, ...fromOther, ...myFree],
      ];
  const perm = [...Array(myRank).keys()].map((ax) => labels.indexOf(ax));
  return perm.every((v, i) => v === i) ? out : jt.transpose(out, perm);
}

export const transposeRules: { [P in jc.Primitive]: TransposeRule<P> } = {
  neg: ([ct]) => [jt.neg(ct!)],
  add: ([ct], [a, b]) => [isLin(a) ? ct! : null, isLin(b) ? ct! : null],
  sub: ([ct], [a, b]) => [isLin(a) ? ct! : null, isLin(b) ? jt.neg(ct!) : null],
  mul: ([ct], [a, b]) => {
    if (isLin(a) && isLin(b))
      throw new jt.TraceError('transpose: mul of two linear inputs is not linear');
    return isLin(a)
      ? [jc.bind1('mul', [ct!, b as jt.Array], NONE), null]
      : [null, jc.bind1('mul', [a as jt.Array, ct!], NONE)];
  },
  div: ([ct], [a, b]) => {
    if (isLin(b)) throw new jt.TraceError('transpose: div is not linear in its denominator');
    return [isLin(a) ? jc.bind1('div', [ct!, b as jt.Array], NONE) : null, null];
  },
  select: ([ct], [p, a, b]) => {
    const zero = jt.zerosLike(ct!);
    const pred = p as jt.Array;
    return [
      null,
      isLin(a) ? jc.bind1('select', [pred, ct!, zero], NONE) : null,
      isLin(b) ? jc.bind1('select', [pred, zero, ct!], NONE) : null,
    ];
  },
  cast: ([ct], [x]) => [jt.cast(ct!, (x as LinearInput).aval.dtype)],
  reduce_sum: ([ct], [x], { axes }) => {
    const shape = (x as LinearInput).aval.shape;
    const dims = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    return [jc.bind1('broadcast_in_dim', [ct!], { shape, dims })];
  },
  broadcast_in_dim: ([ct], [x], { dims }) => [
    unbroadcast(ct!, (x as LinearInput).aval.shape, dims),
  ],
  reshape: ([ct], [x]) => [jt.reshape(ct!, (x as LinearInput).aval.shape)],
  transpose: ([ct], _x, { perm }) => [jt.transpose(ct!, inverse(perm))],
  slice: ([ct], [x], { start, strides }) => {
    const shape = (x as LinearInput).aval.shape;
    if (ct!.size === 0) return [jt.zeros(shape, { dtype: ct!.dtype })];
    const hi = shape.map((d, i) => d - (start[i]! + (ct!.shape[i]! - 1) * strides[i]! + 1));
    return [
      jc.bind1('pad', [ct!], { lo: start, hi, interior: strides.map((s) => s - 1), value: 0 }),
    ];
  },
  pad: ([ct], [x], { lo, interior, value }) => {
    if (value !== 0) throw new jt.TraceError('transpose: pad with a non-zero value is not linear');
    const shape = (x as LinearInput).aval.shape;
    const limit = shape.map((d, i) =>
      d === 0 ? lo[i]! : lo[i]! + (d - 1) * (interior[i]! + 1) + 1,
    );
    return [jc.bind1('slice', [ct!], { start: lo, limit, strides: interior.map((s) => s + 1) })];
  },
  concatenate: ([ct], xs, { axis }) => {
    let offset = 0;
    return xs.map((x) => {
      const shape = isLin(x) ? x.aval.shape : x.shape;
      const start = shape.map((_, i) => (i === axis ? offset : 0));
      const limit = shape.map((d, i) => (i === axis ? offset + d : ct!.shape[i]!));
      offset += shape[axis]!;
      return isLin(x)
        ? jc.bind1('slice', [ct!], { start, limit, strides: shape.map(() => 1) })
        : null;
    });
  },
  gather: ([ct], [x, idx], { axis }) => {
    const shape = (x as LinearInput).aval.shape;
    return [
      jc.bind1('scatter_add', [ct!, idx as jt.Array], { axis, size: shape[axis]!, shape }),
      null,
    ];
  },
  scatter_add: ([ct], [, idx], { axis }) => [
    jc.bind1('gather', [ct!, idx as jt.Array], { axis }),
    null,
  ],
  dot_general: ([ct], [a, b], p) => {
    if (isLin(a) && isLin(b))
      throw new jt.TraceError('transpose: dot_general of two linear inputs is not linear');
    return isLin(a)
      ? [dotTranspose(ct!, b as jt.Array, p, true, a.aval), null]
      : [null, dotTranspose(ct!, a as jt.Array, p, false, (b as LinearInput).aval)];
  },
  conv_patches: ([ct], [x], p) => [
    jc.bind1('conv_patches_transpose', [ct!], { ...p, inputShape: (x as LinearInput).aval.shape }),
  ],
  conv_patches_transpose: ([ct], _x, { inputShape: _ignored, ...p }) => [
    jc.bind1('conv_patches', [ct!], p),
  ],
  cumsum: ([ct], _x, { axis, reverse }) => [jc.bind1('cumsum', [ct!], { axis, reverse: !reverse })],
  custom_linear: (cts, _xs, p) => p.transpose(cts),
  jit_call: (cts, xs, p) => jitCallTranspose(cts, xs, p, backwardPass),
  exp: notLinear('exp'),
  log: notLinear('log'),
  expm1: notLinear('expm1'),
  log1p: notLinear('log1p'),
  sin: notLinear('sin'),
  cos: notLinear('cos'),
  tan: notLinear('tan'),
  tanh: notLinear('tanh'),
  logistic: notLinear('logistic'),
  erf: notLinear('erf'),
  sqrt: notLinear('sqrt'),
  rsqrt: notLinear('rsqrt'),
  abs: notLinear('abs'),
  sign: notLinear('sign'),
  floor: notLinear('floor'),
  ceil: notLinear('ceil'),
  round: notLinear('round'),
  not: notLinear('not'),
  is_finite: notLinear('is_finite'),
  pow: notLinear('pow'),
  max: notLinear('max'),
  min: notLinear('min'),
  eq: notLinear('eq'),
  ne: notLinear('ne'),
  lt: notLinear('lt'),
  le: notLinear('le'),
  gt: notLinear('gt'),
  ge: notLinear('ge'),
  and: notLinear('and'),
  or: notLinear('or'),
  stop_gradient: notLinear('stop_gradient'),
  reduce_max: notLinear('reduce_max'),
  argmax: notLinear('argmax'),
  random_sample: notLinear('random_sample'),
  sort: notLinear('sort'),
  scan: (cts, xs, p) => transposeScan(cts, xs, p),
  cond: notLinear('cond'),
  while: notLinear('while'),
};

const zerosOf = (a: jt.AbstractValue) => jt.zeros(a.shape, { dtype: a.dtype });

/**
 * The transpose of a linear scan (what partial evaluation records for `grad` of a loop)
 * is a scan in the other direction: the carry's cotangent flows backwards step by step,
 * each step runs the body's transpose on that step's residuals, the cotangents of the
 * linear consts accumulate in the carry, and those of the linear xs are stacked.
 */
function transposeScan(cts: jt.Array[], inputs: In[], p: jc.ScanParams): Tangent[] {
  if (p.bodyJaxpr === undefined) {
    throw new jt.TraceError('transpose: a scan without a recorded body cannot be transposed');
  }
  const body = p.bodyJaxpr.jaxpr;
  const { numConsts: nc, numCarry: nk } = p;
  const positions = inputs.map((_, i) => i);
  const resC = positions.filter((i) => i < nc && !isLin(inputs[i]));
  const linC = positions.filter((i) => i < nc && isLin(inputs[i]));
  const carry = positions.filter((i) => i >= nc && i < nc + nk);
  const resX = positions.filter((i) => i >= nc + nk && !isLin(inputs[i]));
  const linX = positions.filter((i) => i >= nc + nk && isLin(inputs[i]));
  const linBody: Jaxpr = {
    constVars: [...resC, ...resX].map((i) => body.inVars[i]!),
    inVars: [...linC, ...carry, ...linX].map((i) => body.inVars[i]!),
    eqns: body.eqns,
    outs: body.outs,
  };
  const [nrc, nlc, nrx] = [resC.length, linC.length, resX.length];
  const transposedBody = (args: readonly jt.Array[]): jt.Array[] => {
    const rc = args.slice(0, nrc);
    const acc = args.slice(nrc, nrc + nlc);
    const ctCarry = args.slice(nrc + nlc, nrc + nlc + nk);
    const rx = args.slice(nrc + nlc + nk, nrc + nlc + nk + nrx);
    const ctY = args.slice(nrc + nlc + nk + nrx);
    const reached = backwardPass(linBody, [...rc, ...rx], [...ctCarry, ...ctY]);
    const inCts = reached.map((c, i) => c ?? zerosOf(linBody.inVars[i]!.aval));
    return [
      // A constant no cotangent reaches keeps its sum: no zeros added at every step.
      ...acc.map((a, i) => (reached[i] === null ? a : jt.add(a, reached[i]!))),
      ...inCts.slice(nlc, nlc + nk),
      ...inCts.slice(nlc + nk),
    ];
  };
  // A carry may start from a known value (a tangent's zero): it is transposed like the
  // rest and its cotangent dropped.
  const linAval = (i: number): jt.AbstractValue => {
    const x = inputs[i]!;
    return isLin(x) ? x.aval : { shape: x.shape, dtype: x.dtype };
  };
  const outs = jc.bind(
    'scan',
    [
      ...resC.map((i) => inputs[i] as jt.Array),
      ...linC.map((i) => zerosOf(linAval(i))),
      ...cts.slice(0, nk),
      ...resX.map((i) => inputs[i] as jt.Array),
      ...cts.slice(nk),
    ],
    {
      body: transposedBody,
      numConsts: nrc,
      numCarry: nlc + nk,
      length: p.length,
      reverse: !p.reverse,
      yAvals: linX.map((i) => stepAval(linAval(i))),
    },
  );
  const result: Tangent[] = inputs.map(() => null);
  linC.forEach((i, k) => {
    result[i] = outs[k]!;
  });
  carry.forEach((i, k) => {
    if (isLin(inputs[i])) result[i] = outs[nlc + k]!;
  });
  linX.forEach((i, k) => {
    result[i] = outs[nlc + nk + k]!;
  });
  return result;
}

/**
 * Runs a linear jaxpr backwards: cotangents of its outputs in, cotangents of its inputs
 * out (null where no cotangent reaches an input).
 */
export function backwardPass(
  jaxpr: Jaxpr,
  consts: readonly jt.Array[],
  cts: readonly Tangent[],
): Tangent[] {
  const primal = new Map<Var, jt.Array>();
  jaxpr.constVars.forEach((v, i) => {
    primal.set(v, consts[i]!);
  });
  const ctEnv = new Map<Var, CotangentSum>();
  const accumulate = (v: Var, add: (sum: CotangentSum) => CotangentSum) => {
    if (!primal.has(v)) ctEnv.set(v, add(ctEnv.get(v) ?? emptySum));
  };
  const write = (v: Var, ct: Tangent) => {
    if (ct !== null) accumulate(v, (sum) => addDense(sum, ct));
  };
  const read = (v: Var): Tangent => {
    const sum = ctEnv.get(v);
    return sum === undefined ? null : total(sum, v.aval);
  };
  jaxpr.outs.forEach((v, i) => {
    write(v, cts[i] ?? null);
  });
  for (let e = jaxpr.eqns.length - 1; e >= 0; e--) {
    const eqn = jaxpr.eqns[e]!;
    const outCts = eqn.outs.map(read);
    eqn.outs.forEach((v) => {
      ctEnv.delete(v);
    });
    if (outCts.every((c) => c === null)) continue;
    if (eqn.prim === 'slice') {
      // Kept as a piece: see cotangent-sum.ts.
      const x = eqn.inputs[0]!;
      const params = eqn.params as jc.PrimitiveParams['slice'];
      const axis = pieceAxis(params, x.aval.shape);
      if (axis !== undefined) {
        const value = outCts[0]!;
        accumulate(x, (sum) => addPiece(sum, { value, axis, start: params.start[axis]! }));
        continue;
      }
    }
    const inputs = eqn.inputs.map((v) => primal.get(v) ?? new LinearInput(v.aval));
    const dense = outCts.map(
      (c, i) => c ?? jt.zeros(eqn.outs[i]!.aval.shape, { dtype: eqn.outs[i]!.aval.dtype }),
    );
    const rule = transposeRules[eqn.prim] as TransposeRule<jc.Primitive>;
    const inCts = rule(dense, inputs, eqn.params as never);
    eqn.inputs.forEach((v, i) => {
      write(v, inCts[i] ?? null);
    });
  }
  return jaxpr.inVars.map(read);
}
