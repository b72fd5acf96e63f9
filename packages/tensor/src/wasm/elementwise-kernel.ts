import { FunctionBuilder, ModuleBuilder, ValType } from './emit';

/**
 * Generators of the float32 elementwise and reduction kernels: one small module per
 * kernel, each exporting `run` (maps take the element count first), all importing one
 * memory. Small modules compile only when first used and stay under Chrome's 4 KB limit
 * for synchronous compilation on the main thread. Buffers are padded (see `PAD_BYTES`),
 * so the map loops have no remainder code: they may read and write up to the padding
 * past the last element.
 *
 * The transcendental functions are evaluated in f32x4 with range reduction and
 * polynomials fitted for this file (near-minimax, by iteratively reweighted least
 * squares in 30-digit arithmetic, then rounded to float32).
 */

export type UnaryKernel =
  | 'neg'
  | 'abs'
  | 'sqrt'
  | 'rsqrt'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'tanh'
  | 'logistic';
export type BinaryKernel = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';
export type CompareKernel = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type ReduceKernel = 'sum_rows' | 'max_rows' | 'sum_cols' | 'max_cols';
export type ElementwiseKernel =
  | UnaryKernel
  | BinaryKernel
  | CompareKernel
  | 'select'
  | ReduceKernel;

export const UNARY_KERNELS: readonly UnaryKernel[] = [
  'neg',
  'abs',
  'sqrt',
  'rsqrt',
  'exp',
  'expm1',
  'log',
  'log1p',
  'tanh',
  'logistic',
];
export const BINARY_KERNELS: readonly BinaryKernel[] = ['add', 'sub', 'mul', 'div', 'max', 'min'];
export const COMPARE_KERNELS: readonly CompareKernel[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

/** Every buffer the kernels touch is padded to a multiple of this many bytes (16 floats). */
export const PAD_BYTES = 64;

export const ELEMENTWISE_MEMORY = { module: 'env', name: 'memory', maximumPages: 65536 } as const;

const { i32, f32, f64, v128 } = ValType;
type F = FunctionBuilder;

// Cody-Waite split of ln 2: LN2_HI has 15 significant bits, so k * LN2_HI is exact for
// the |k| < 256 that occur in exp and log.
const LN2_HI = 22713 / 32768;
const LN2_LO = /*#__PURE__*/ Math.fround(Math.LN2 - LN2_HI);
/** expm1(r) ≈ r + r² (1/2 + r (c3 + r (c4 + r (c5 + r c6)))) on |r| ≤ 0.36, rel. error 1.8e-8. */
const EXPM1_POLY = [
  0.0013898882652366613, 0.0083685962504943881, 0.041666885768319381, 0.16666529658968154, 0.5,
];
/**
 * log(1 + f) = f - f²/2 + s (f²/2 + R(s²)) with s = f / (2 + f) (an identity of
 * 2 atanh(s)); R(z) ≈ z (t0 + z (t1 + z t2)) on z ≤ 0.0300, abs. error 8.8e-10.
 */
const LOG_POLY = [0.29898655086302151, 0.39976612317203414, 0.66666783223037818];
const SQRT_HALF_BITS = 0x3f3504f3; // float32 bits of √½
const SIGN_BIT = -0x80000000;
const MIN_NORMAL = 2 ** -126;

/** `for (ptrs[0] < end) { body(); ptrs[i] += steps[i] }`, skipped entirely when empty. */
export function stream(
  f: F,
  end: number,
  ptrs: readonly [number, number][],
  body: () => void,
): void {
  const first = ptrs[0]![0];
  f.block(() => {
    f.get(first).get(end).i32LtU().i32Eqz().brIf(0);
    f.loop(() => {
      body();
      for (const [p, step] of ptrs) f.get(p).i32Const(step).i32Add().set(p);
      f.get(first).get(end).i32LtU().brIf(0);
    });
  });
}

/** Pushes lanes 2 and 3 of the f32x4 local `v` as an f64x2 (`f64x2.promote_low` does 0, 1). */
export function promoteHigh(f: F, v: number): void {
  f.get(v).get(v).i8x16Shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]);
  f.f64x2PromoteLowF32x4();
}

/** `end = base + round_up(n, group) * 4` (byte address past the last padded group). */
function endOf(f: F, base: number, n: number, group: number): number {
  const end = f.local(i32);
  f.get(n)
    .i32Const(group - 1)
    .i32Add()
    .i32Const(-group)
    .i32And()
    .i32Const(2)
    .i32Shl()
    .get(base)
    .i32Add()
    .set(end);
  return end;
}

/** Pushes the polynomial with `coeffs` (highest power first) at the local `x`, by Horner. */
function horner(f: F, x: number, coeffs: readonly number[]): void {
  f.f32x4Const(coeffs[0]!);
  for (const c of coeffs.slice(1)) f.get(x).f32x4Mul().f32x4Const(c).f32x4Add();
}

/** Pushes 2^k as f32x4 for the i32x4 on the stack (valid for -126 ≤ k ≤ 127). */
function pow2(f: F): void {
  f.i32x4Const(127).i32x4Add().i32Const(23).i32x4Shl();
}

/**
 * Range reduction of exp: clamps x to [lo, hi] (NaN passes), k = round(x / ln 2),
 * r = x - k ln 2 (|r| ≤ 0.36), p = expm1(r). Returns the i32x4 local k and the local p.
 */
function expm1Reduced(f: F, x: number, lo: number, hi: number): { k: number; p: number } {
  const xc = f.local(v128);
  const kf = f.local(v128);
  const k = f.local(v128);
  const r = f.local(v128);
  const p = f.local(v128);
  // pmax/pmin with x first keep a NaN x (and are single instructions on x64).
  f.get(x).f32x4Const(lo).f32x4Pmax().f32x4Const(hi).f32x4Pmin().set(xc);
  f.get(xc).f32x4Const(Math.LOG2E).f32x4Mul().f32x4Nearest().tee(kf).i32x4TruncSatF32x4S().set(k);
  f.get(xc).get(kf).f32x4Const(LN2_HI).f32x4Mul().f32x4Sub();
  f.get(kf).f32x4Const(LN2_LO).f32x4Mul().f32x4Sub().set(r);
  horner(f, r, EXPM1_POLY);
  f.get(r).get(r).f32x4Mul().f32x4Mul().get(r).f32x4Add().set(p);
  return { k, p };
}

/** Pushes exp(x). Below -103.97 the result rounds to 0, above 88.72 it is +Infinity. */
function emitExp(f: F, x: number): void {
  const { k, p } = expm1Reduced(f, x, -110, 89);
  const k1 = f.local(v128);
  // 2^k as 2^k1 · 2^k2 so that k from -159 to 128 needs no special case; the second
  // product rounds once into the subnormals, or overflows to Infinity.
  f.get(p).f32x4Const(1).f32x4Add();
  f.get(k).i32Const(1).i32x4ShrS().tee(k1);
  pow2(f);
  f.f32x4Mul();
  f.get(k).get(k1).i32x4Sub();
  pow2(f);
  f.f32x4Mul();
}

/**
 * Pushes expm1(x) = 2 (t p + (t - 1/2)) with t = 2^(k-1): exact scalings of
 * 2^k p + (2^k - 1) that keep 2^(k-1) representable for k = 128. Inputs below -30 give
 * -1 (as the true value rounds to), and |x| < 2^-24 returns x itself (keeps -0 and
 * subnormals exact).
 */
function emitExpm1(f: F, x: number): void {
  const { k, p } = expm1Reduced(f, x, -30, 89);
  const t = f.local(v128);
  f.get(k).i32x4Const(1).i32x4Sub();
  pow2(f);
  f.tee(t).get(p).f32x4Mul();
  f.get(t).f32x4Const(0.5).f32x4Sub().f32x4Add();
  f.f32x4Const(2).f32x4Mul();
  f.get(x)
    .f32x4Abs()
    .f32x4Const(2 ** -24)
    .f32x4Lt();
  selectOnMask(f, x);
}

/** With `res, mask` on the stack, pushes `mask ? local : res`. */
function selectOnMask(f: F, local: number): void {
  const m = f.local(v128);
  const res = f.local(v128);
  f.set(m).set(res);
  f.get(local).get(res).get(m).v128Bitselect();
}

/** Pushes log(u) for the f32x4 local u: exact special cases, subnormals scaled up first. */
function emitLog(f: F, u: number): void {
  const sub = f.local(v128);
  const ix = f.local(v128);
  const fm = f.local(v128);
  const s = f.local(v128);
  const z = f.local(v128);
  const hfsq = f.local(v128);
  const kf = f.local(v128);
  const res = f.local(v128);
  const alt = f.local(v128);
  // Subnormals: scale by 2^23 and take 23 off the exponent.
  f.get(u).f32x4Const(MIN_NORMAL).f32x4Lt().set(sub);
  f.get(u)
    .f32x4Const(2 ** 23)
    .f32x4Mul()
    .get(u)
    .get(sub)
    .v128Bitselect();
  // u = 2^k m with m in [√½, √2): shifting the bits by those of √½ makes the exponent
  // field k directly, and the mantissa field re-biased by √½'s bits gives m.
  f.i32x4Const(SQRT_HALF_BITS).i32x4Sub().set(ix);
  f.get(ix).i32Const(23).i32x4ShrS().get(sub).i32x4Const(-23).v128And().i32x4Add();
  f.f32x4ConvertI32x4S().set(kf);
  f.get(ix).i32x4Const(0x007fffff).v128And().i32x4Const(SQRT_HALF_BITS).i32x4Add();
  f.f32x4Const(1).f32x4Sub().set(fm); // exact (Sterbenz)
  f.get(fm).get(fm).f32x4Const(2).f32x4Add().f32x4Div().tee(s).get(s).f32x4Mul().set(z);
  f.get(fm).get(fm).f32x4Mul().f32x4Const(0.5).f32x4Mul().set(hfsq);
  // k·LN2_HI + (f - (hfsq - (s (hfsq + R) + k·LN2_LO))): the small terms first.
  f.get(kf).f32x4Const(LN2_HI).f32x4Mul();
  f.get(fm).get(hfsq);
  f.get(s).get(hfsq);
  horner(f, z, LOG_POLY);
  f.get(z).f32x4Mul().f32x4Add().f32x4Mul();
  f.get(kf).f32x4Const(LN2_LO).f32x4Mul().f32x4Add();
  f.f32x4Sub().f32x4Sub().f32x4Add().set(res);
  // Outside (0, +Infinity): 0 → -Infinity, negative → NaN, +Infinity and NaN → u.
  f.f32x4Const(Number.NEGATIVE_INFINITY).get(u).get(u).f32x4Const(0).f32x4Eq().v128Bitselect();
  f.set(alt).f32x4Const(Number.NaN).get(alt).get(u).f32x4Const(0).f32x4Lt().v128Bitselect();
  f.set(alt).get(res).get(alt).get(u).f32x4Const(0).f32x4Gt();
  f.get(u).f32x4Const(Number.POSITIVE_INFINITY).f32x4Lt().v128And().v128Bitselect();
}

/** Body emitters of the unary kernels: input in local `x`, result left on the stack. */
export const unaryBodies: Record<UnaryKernel, (f: F, x: number) => void> = {
  neg: (f, x) => f.get(x).f32x4Neg(),
  abs: (f, x) => f.get(x).f32x4Abs(),
  sqrt: (f, x) => f.get(x).f32x4Sqrt(),
  rsqrt: (f, x) => {
    // In float64 then rounded, as the TypeScript kernel computes 1 / Math.sqrt(x).
    const hi = f.local(v128);
    promoteHigh(f, x);
    f.set(hi);
    f.f64x2Const(1).get(x).f64x2PromoteLowF32x4().f64x2Sqrt().f64x2Div().f32x4DemoteF64x2Zero();
    f.f64x2Const(1).get(hi).f64x2Sqrt().f64x2Div().f32x4DemoteF64x2Zero();
    f.i8x16Shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
  },
  exp: emitExp,
  expm1: emitExpm1,
  log: emitLog,
  log1p: (f, x) => {
    // log(u) + c with u = 1 + x rounded and c = (x - (u - 1)) / u the first-order
    // correction for that rounding; c is NaN only where log(u) is already exact (±Inf).
    const u = f.local(v128);
    const c = f.local(v128);
    f.get(x).f32x4Const(1).f32x4Add().set(u);
    f.get(x).get(u).f32x4Const(1).f32x4Sub().f32x4Sub().get(u).f32x4Div().set(c);
    emitLog(f, u);
    f.get(c).v128Zero().get(c).get(c).f32x4Eq().v128Bitselect().f32x4Add();
    f.get(x).f32x4Const(0).f32x4Eq();
    selectOnMask(f, x);
  },
  tanh: (f, x) => {
    // tanh|x| = -e / (e + 2) with e = expm1(-2|x|) in (-1, 0]: no cancellation near 0,
    // and e → -1 gives exactly 1 for large |x|. The sign is copied back (tanh(-0) = -0).
    const y = f.local(v128);
    const e = f.local(v128);
    f.get(x).f32x4Abs().f32x4Const(-2).f32x4Mul().set(y);
    emitExpm1(f, y);
    f.tee(e).f32x4Neg().get(e).f32x4Const(2).f32x4Add().f32x4Div();
    f.get(x).i32x4Const(SIGN_BIT).v128And().v128Or();
  },
  logistic: (f, x) => {
    // 1 / (1 + E) for x ≥ 0 and E / (1 + E) for x < 0, E = exp(-|x|) ≤ 1: never overflows,
    // saturates to exactly 0 and 1.
    const nx = f.local(v128);
    const e = f.local(v128);
    f.get(x).f32x4Abs().f32x4Neg().set(nx);
    emitExp(f, nx);
    f.tee(e).f32x4Const(1).get(x).f32x4Const(0).f32x4Lt().v128Bitselect();
    f.get(e).f32x4Const(1).f32x4Add().f32x4Div();
  },
};

/** Binary bodies: operands in locals `a` and `b`, result left on the stack. */
export const binaryBodies: Record<BinaryKernel, (f: F, a: number, b: number) => void> = {
  add: (f, a, b) => f.get(a).get(b).f32x4Add(),
  sub: (f, a, b) => f.get(a).get(b).f32x4Sub(),
  mul: (f, a, b) => f.get(a).get(b).f32x4Mul(),
  div: (f, a, b) => f.get(a).get(b).f32x4Div(),
  // `a > b || isNaN(a) ? a : b` bit for bit (f32x4.max would differ on NaN and ±0).
  max: (f, a, b) =>
    f.get(a).get(b).get(a).get(b).f32x4Gt().get(a).get(a).f32x4Ne().v128Or().v128Bitselect(),
  min: (f, a, b) =>
    f.get(a).get(b).get(a).get(b).f32x4Lt().get(a).get(a).f32x4Ne().v128Or().v128Bitselect(),
};

export const compareOps: Record<CompareKernel, (f: F) => void> = {
  eq: (f) => f.f32x4Eq(),
  ne: (f) => f.f32x4Ne(),
  lt: (f) => f.f32x4Lt(),
  le: (f) => f.f32x4Le(),
  gt: (f) => f.f32x4Gt(),
  ge: (f) => f.f32x4Ge(),
};

/** `run(n, x, o)`: o[i] = op(x[i]); `o` may be `x`. */
function buildUnary(op: UnaryKernel): F {
  const f = new FunctionBuilder([i32, i32, i32]);
  const [n, x, o] = [0, 1, 2];
  const end = endOf(f, x, n, 4);
  const v = f.local(v128);
  stream(
    f,
    end,
    [
      [x, 16],
      [o, 16],
    ],
    () => {
      f.get(o).get(x).v128Load().set(v);
      unaryBodies[op](f, v);
      f.v128Store();
    },
  );
  return f;
}

/** `run(n, a, b, o)`: o[i] = a[i] op b[i]; `o` may be `a` or `b`. */
function buildBinary(op: BinaryKernel): F {
  const f = new FunctionBuilder([i32, i32, i32, i32]);
  const [n, a, b, o] = [0, 1, 2, 3];
  const end = endOf(f, a, n, 4);
  const va = f.local(v128);
  const vb = f.local(v128);
  stream(
    f,
    end,
    [
      [a, 16],
      [b, 16],
      [o, 16],
    ],
    () => {
      f.get(o).get(a).v128Load().set(va).get(b).v128Load().set(vb);
      binaryBodies[op](f, va, vb);
      f.v128Store();
    },
  );
  return f;
}

/** `run(n, a, b, o)`: bytes o[i] = a[i] op b[i] ? 1 : 0, 16 elements per step. */
function buildCompare(op: CompareKernel): F {
  const f = new FunctionBuilder([i32, i32, i32, i32]);
  const [n, a, b, o] = [0, 1, 2, 3];
  const end = endOf(f, a, n, 16);
  stream(
    f,
    end,
    [
      [a, 64],
      [b, 64],
      [o, 16],
    ],
    () => {
      f.get(o);
      for (let q = 0; q < 4; q++) {
        f.get(a)
          .v128Load(16 * q)
          .get(b)
          .v128Load(16 * q);
        compareOps[op](f);
        // Masks (0 / -1) narrow with signed saturation to bytes; negation makes them 0 / 1.
        if (q % 2 === 1) f.i16x8NarrowI32x4S();
      }
      f.i8x16NarrowI16x8S().i8x16Neg().v128Store();
    },
  );
  return f;
}

/** `run(n, p, t, e, o)`: o[i] = p[i] ? t[i] : e[i] on the bits, as the TypeScript kernel. */
function buildSelect(): F {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32]);
  const [n, p, t, e, o] = [0, 1, 2, 3, 4];
  const end = endOf(f, t, n, 16);
  const m8 = f.local(v128);
  const m16 = f.local(v128);
  stream(
    f,
    end,
    [
      [t, 64],
      [p, 16],
      [e, 64],
      [o, 64],
    ],
    () => {
      // Bytes 0 / 1 → -0 / -1 (the TS kernel's `-pred`), sign-extended to one mask per lane.
      f.get(p).v128Load().i8x16Neg().set(m8);
      for (let q = 0; q < 4; q++) {
        if (q % 2 === 0) {
          f.get(m8);
          if (q === 0) f.i16x8ExtendLowI8x16S();
          else f.i16x8ExtendHighI8x16S();
          f.set(m16);
        }
        f.get(o)
          .get(t)
          .v128Load(16 * q)
          .get(e)
          .v128Load(16 * q)
          .get(m16);
        if (q % 2 === 0) f.i32x4ExtendLowI16x8S();
        else f.i32x4ExtendHighI16x8S();
        f.v128Bitselect().v128Store(16 * q);
      }
    },
  );
  return f;
}

/** `acc = v > acc || v != v ? v : acc` per lane, for f32x4 locals. */
export function maxStepX4(f: F, v: number, acc: number): void {
  f.get(v).get(acc).get(v).get(acc).f32x4Gt().get(v).get(v).f32x4Ne().v128Or();
  f.v128Bitselect().set(acc);
}

const SWAP_HALVES = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
const SWAP_PAIRS = [4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11];

/** Pushes the f32 `v > best || v != v ? v : best` (the TS kernels' max step). */
export function maxStep(f: F, v: number, best: number): void {
  f.get(v).get(best).get(v).get(best).f32Gt().get(v).get(v).f32Ne().i32Or().select();
}

/**
 * `run(x, o, rows, r)`: o[i] = Σ or max of row i of the contiguous `[rows, r]` block.
 * Sums accumulate in two f64x2 (four float64 partial sums); max keeps one f32x4 of
 * running maxima, folded across lanes, and when the result is a zero goes back for the
 * first zero in the row, so the sign of a zero maximum is the one the TS kernel (first
 * maximal element wins) gives.
 */
function buildRows(op: 'sum' | 'max'): F {
  const f = new FunctionBuilder([i32, i32, i32, i32]);
  const [x, o, rows, r] = [0, 1, 2, 3];
  const oEnd = f.local(i32);
  const end4 = f.local(i32);
  const end = f.local(i32);
  const start = f.local(i32);
  const v = f.local(v128);
  const acc0 = f.local(v128);
  const acc1 = f.local(v128);
  const t = f.local(f64);
  const best = f.local(f32);
  const s = f.local(f32);
  f.get(rows).i32Const(2).i32Shl().get(o).i32Add().set(oEnd);
  stream(f, oEnd, [[o, 4]], () => {
    f.get(x).set(start);
    f.get(r).i32Const(-4).i32And().i32Const(2).i32Shl().get(x).i32Add().set(end4);
    f.get(r).i32Const(2).i32Shl().get(x).i32Add().set(end);
    if (op === 'sum') {
      f.v128Zero().set(acc0).v128Zero().set(acc1);
      stream(f, end4, [[x, 16]], () => {
        f.get(x).v128Load().set(v);
        f.get(acc0).get(v).f64x2PromoteLowF32x4().f64x2Add().set(acc0);
        f.get(acc1);
        promoteHigh(f, v);
        f.f64x2Add().set(acc1);
      });
      f.get(acc0).get(acc1).f64x2Add().set(acc0);
      f.get(acc0).f64x2ExtractLane(0).get(acc0).f64x2ExtractLane(1).f64Add().set(t);
      stream(f, end, [[x, 4]], () => {
        f.get(t).get(x).f32Load().f64PromoteF32().f64Add().set(t);
      });
      f.get(o).get(t).f32DemoteF64().f32Store();
    } else {
      // Two accumulators taking vectors in turn halve the compare-blend dependency chain.
      // Folding them and the lanes in any order is fine: equal maxima differ only for ±0,
      // settled by the re-scan below, and any NaN wins either way.
      f.f32x4Const(Number.NEGATIVE_INFINITY).tee(acc0).set(acc1);
      stream(f, end4, [[x, 16]], () => {
        f.get(x).v128Load().set(v);
        maxStepX4(f, v, acc1);
        f.get(acc0).get(acc1).set(acc0).set(acc1); // swap
      });
      maxStepX4(f, acc1, acc0);
      for (const swap of [SWAP_HALVES, SWAP_PAIRS]) {
        f.get(acc0).get(acc0).i8x16Shuffle(swap).set(v);
        maxStepX4(f, v, acc0);
      }
      f.get(acc0).f32x4ExtractLane(0).set(best);
      stream(f, end, [[x, 4]], () => {
        f.get(x).f32Load().set(s);
        maxStep(f, s, best);
        f.set(best);
      });
      f.get(best).f32Const0().f32Eq();
      f.ifThen(() => {
        f.block(() => {
          f.loop(() => {
            f.get(start).f32Load().tee(best).f32Const0().f32Eq().brIf(1);
            f.get(start).i32Const(4).i32Add().set(start).br(0);
          });
        });
      });
      f.get(o).get(best).f32Store();
    }
  });
  return f;
}

/**
 * `run(x, o, outer, r, stride, width[, scratch])`: reduces `x` viewed as
 * `[outer, r, stride]` over its middle axis for the columns `[0, width)`, writing
 * `o` viewed as `[outer, stride]`. Rows are combined whole, in the TS kernel's order:
 * sums into a float64 scratch row (`width` f64, padded), maxima straight into `o`.
 */
function buildCols(op: 'sum' | 'max'): F {
  const params =
    op === 'sum' ? [i32, i32, i32, i32, i32, i32, i32] : [i32, i32, i32, i32, i32, i32];
  const f = new FunctionBuilder(params);
  const [x, o, outer, r, stride, width, scratch] = [0, 1, 2, 3, 4, 5, 6];
  const rowBytes = f.local(i32);
  const ob = f.local(i32);
  const obEnd = f.local(i32);
  const k = f.local(i32);
  const q = f.local(i32);
  const d = f.local(i32);
  const end4 = f.local(i32);
  const end = f.local(i32);
  const rowX = f.local(i32);
  const v = f.local(v128);
  const a = f.local(v128);
  const s = f.local(f32);
  const best = f.local(f32);
  const dst = op === 'sum' ? scratch : o;
  f.get(stride).i32Const(2).i32Shl().set(rowBytes);
  f.get(outer).set(obEnd);
  f.get(x).set(rowX);
  stream(f, obEnd, [[ob, 1]], () => {
    // Initialise the accumulator row: 0.0 (f64) or -Infinity (f32).
    f.get(dst).set(d);
    f.get(width)
      .i32Const(op === 'sum' ? 3 : 2)
      .i32Shl()
      .get(dst)
      .i32Add()
      .set(end);
    if (op === 'sum') {
      stream(f, end, [[d, 16]], () => f.get(d).v128Zero().v128Store());
    } else {
      stream(f, end, [[d, 4]], () => f.get(d).f32Const(Number.NEGATIVE_INFINITY).f32Store());
    }
    f.i32Const(0).set(k);
    stream(f, r, [[k, 1]], () => {
      f.get(rowX).set(q).get(dst).set(d);
      f.get(width).i32Const(-4).i32And().i32Const(2).i32Shl().get(q).i32Add().set(end4);
      f.get(width).i32Const(2).i32Shl().get(q).i32Add().set(end);
      if (op === 'sum') {
        stream(
          f,
          end4,
          [
            [q, 16],
            [d, 32],
          ],
          () => {
            f.get(q).v128Load().set(v);
            f.get(d).get(d).v128Load().get(v).f64x2PromoteLowF32x4().f64x2Add().v128Store();
            f.get(d).get(d).v128Load(16);
            promoteHigh(f, v);
            f.f64x2Add().v128Store(16);
          },
        );
        stream(
          f,
          end,
          [
            [q, 4],
            [d, 8],
          ],
          () => {
            f.get(d).get(d).f64Load().get(q).f32Load().f64PromoteF32().f64Add().f64Store();
          },
        );
      } else {
        stream(
          f,
          end4,
          [
            [q, 16],
            [d, 16],
          ],
          () => {
            f.get(q).v128Load().set(v).get(d).v128Load().set(a);
            maxStepX4(f, v, a);
            f.get(d).get(a).v128Store();
          },
        );
        stream(
          f,
          end,
          [
            [q, 4],
            [d, 4],
          ],
          () => {
            f.get(q).f32Load().set(s).get(d).f32Load().set(best);
            f.get(d);
            maxStep(f, s, best);
            f.f32Store();
          },
        );
      }
      f.get(rowX).get(rowBytes).i32Add().set(rowX);
    });
    if (op === 'sum') {
      // Round the float64 sums into the output row.
      f.get(o).set(q).get(scratch).set(d);
      f.get(width).i32Const(2).i32Shl().get(o).i32Add().set(end);
      stream(
        f,
        end,
        [
          [q, 4],
          [d, 8],
        ],
        () => f.get(q).get(d).f64Load().f32DemoteF64().f32Store(),
      );
    }
    f.get(o).get(rowBytes).i32Add().set(o);
  });
  return f;
}

function buildFunction(kernel: ElementwiseKernel): F {
  if ((UNARY_KERNELS as readonly string[]).includes(kernel))
    return buildUnary(kernel as UnaryKernel);
  if ((BINARY_KERNELS as readonly string[]).includes(kernel))
    return buildBinary(kernel as BinaryKernel);
  if ((COMPARE_KERNELS as readonly string[]).includes(kernel))
    return buildCompare(kernel as CompareKernel);
  switch (kernel) {
    case 'select':
      return buildSelect();
    case 'sum_rows':
      return buildRows('sum');
    case 'max_rows':
      return buildRows('max');
    case 'sum_cols':
      return buildCols('sum');
    default:
      return buildCols('max');
  }
}

/**
 * A module of a kernel that runs on the calling thread, importing the matmul's memory
 * (`shared` where that is shared with the pool's workers).
 */
export const callingThreadModule = (shared = false): ModuleBuilder =>
  new ModuleBuilder().importMemory({
    module: ELEMENTWISE_MEMORY.module,
    name: ELEMENTWISE_MEMORY.name,
    initial: 1,
    maximum: ELEMENTWISE_MEMORY.maximumPages,
    shared,
  });

/** The module of one kernel: imports the memory, exports `run`. */
export function buildElementwiseModule(
  kernel: ElementwiseKernel,
  shared = false,
): Uint8Array<ArrayBuffer> {
  const mod = callingThreadModule(shared);
  mod.addFunction('run', buildFunction(kernel));
  return mod.encode();
}
