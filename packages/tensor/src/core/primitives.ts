import type { Array } from './array';
import type { DType } from './dtype';
import type { ClosedJaxpr, Jaxpr } from './jaxpr';
import type { Shape } from './shape';

/**
 * Parameters of each primitive. Primitives are lax-level: binary ops take operands of
 * one shape and one dtype (the op library broadcasts and promotes before it binds).
 * The key set of this record is the closed set of primitives.
 */
export interface PrimitiveParams {
  // Unary elementwise.
  neg: Record<string, never>;
  exp: Record<string, never>;
  log: Record<string, never>;
  expm1: Record<string, never>;
  log1p: Record<string, never>;
  sin: Record<string, never>;
  cos: Record<string, never>;
  tan: Record<string, never>;
  tanh: Record<string, never>;
  logistic: Record<string, never>;
  erf: Record<string, never>;
  sqrt: Record<string, never>;
  rsqrt: Record<string, never>;
  abs: Record<string, never>;
  sign: Record<string, never>;
  floor: Record<string, never>;
  ceil: Record<string, never>;
  round: Record<string, never>;
  not: Record<string, never>;
  is_finite: Record<string, never>;
  // Binary elementwise.
  add: Record<string, never>;
  sub: Record<string, never>;
  mul: Record<string, never>;
  div: Record<string, never>;
  pow: Record<string, never>;
  max: Record<string, never>;
  min: Record<string, never>;
  eq: Record<string, never>;
  ne: Record<string, never>;
  lt: Record<string, never>;
  le: Record<string, never>;
  gt: Record<string, never>;
  ge: Record<string, never>;
  and: Record<string, never>;
  or: Record<string, never>;
  /** `select(pred, onTrue, onFalse)`, all of one shape. */
  select: Record<string, never>;
  cast: { dtype: DType };
  stop_gradient: Record<string, never>;
  // Reductions and scans.
  reduce_sum: { axes: readonly number[] };
  reduce_max: { axes: readonly number[] };
  argmax: { axis: number };
  cumsum: { axis: number; reverse: boolean };
  /** Stable ascending sort along `axis`; outputs `[values, int32 indices]`. */
  sort: { axis: number };
  // Shape.
  /** Operand axis `i` becomes output axis `dims[i]`; the rest are new (or size-1 expanded). */
  broadcast_in_dim: { shape: Shape; dims: readonly number[] };
  reshape: { shape: Shape };
  transpose: { perm: readonly number[] };
  slice: { start: readonly number[]; limit: readonly number[]; strides: readonly number[] };
  /** Pads with `value`; `interior` inserts that many values between neighbours. */
  pad: { lo: readonly number[]; hi: readonly number[]; interior: readonly number[]; value: number };
  concatenate: { axis: number };
  /** `gather(x, idx)`: shape `x.shape[:axis] + idx.shape + x.shape[axis+1:]`. */
  gather: { axis: number };
  /** `scatter_add(updates, idx)`: transpose of gather into an axis of length `size`. */
  scatter_add: { axis: number; size: number; shape: Shape };
  // Linear algebra and convolution.
  /** Output axes: batch, then lhs free, then rhs free (as in XLA). */
  dot_general: {
    contract: readonly [readonly number[], readonly number[]];
    batch: readonly [readonly number[], readonly number[]];
  };
  /** im2col: `[N, ...spatial, C]` → `[N, ...outSpatial, prod(window) * C]`, C fastest. */
  conv_patches: ConvPatchesParams;
  /** col2im: the transpose of `conv_patches` back to `inputShape`. */
  conv_patches_transpose: ConvPatchesParams & { inputShape: Shape };
  // Control flow and opaque linear maps, evaluated by calling closures.
  scan: ScanParams;
  cond: CondParams;
  while: WhileParams;
  custom_linear: CustomLinearParams;
  /** Samples from a PRNG key (int32[2]); see `RandomSampleParams`. */
  random_sample: RandomSampleParams;
  /** A compiled call (`jit`): runs `jaxpr` on the operands; see `JitCallParams`. */
  jit_call: JitCallParams;
}

export type Primitive = keyof PrimitiveParams;

export interface ConvPatchesParams {
  window: readonly number[];
  strides: readonly number[];
  padding: readonly (readonly [number, number])[];
  lhsDilation: readonly number[];
  rhsDilation: readonly number[];
}

/** Avals of closures' inputs and outputs are recorded so abstract evaluation needs no call. */
export interface AbstractValue {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * `scan` over flat lists: inputs are `[...consts, ...carry, ...xs]`, the body maps
 * `[...consts, ...carry, ...x_t]` to `[...carry, ...y_t]`; outputs `[...carry, ...ys]`.
 */
export interface ScanParams {
  body: (args: readonly Array[]) => Array[];
  numConsts: number;
  numCarry: number;
  length: number;
  reverse: boolean;
  /** Avals of the per-step outputs `y_t`. */
  yAvals: readonly AbstractValue[];
  /** The body as a jaxpr, when a tracing interpreter (`jit`, `makeJaxpr`) recorded it. */
  bodyJaxpr?: ClosedJaxpr;
}

/** `cond(index, ...operands)`: runs `branches[index]` (index an int32 or bool scalar). */
export interface CondParams {
  branches: readonly ((args: readonly Array[]) => Array[])[];
  outAvals: readonly AbstractValue[];
  /** The branches as jaxprs, when a tracing interpreter recorded them. */
  branchJaxprs?: readonly ClosedJaxpr[];
}

/** `while(...init)`: `cond(carry)` gives a bool scalar, `body(carry)` the next carry. */
export interface WhileParams {
  cond: (args: readonly Array[]) => Array;
  body: (args: readonly Array[]) => Array[];
  /** `cond` and `body` as jaxprs, when a tracing interpreter recorded them. */
  condJaxpr?: ClosedJaxpr;
  bodyJaxpr?: ClosedJaxpr;
}

/**
 * A linear map given by closures: `forward` applies it (forward mode), `transpose`
 * applies its transpose (reverse mode). Emitted by `customVjp` and `checkpoint`.
 */
export interface CustomLinearParams {
  name: string;
  forward: (tangents: readonly Array[]) => Array[];
  transpose: (cotangents: readonly Array[]) => Array[];
  outAvals: readonly AbstractValue[];
  inAvals: readonly AbstractValue[];
}

/**
 * `random_sample(key)`: samples of one distribution from a Threefry key, the same bits
 * eagerly and inside `jit` (where the key is traced). `args`: `[minval, maxval]` for
 * uniform and randint, `[lower, upper]` for truncated_normal, `[data]` for fold_in.
 */
export interface RandomSampleParams {
  readonly dist:
    | 'uniform'
    | 'normal'
    | 'truncated_normal'
    | 'randint'
    | 'bits'
    | 'fold_in'
    | 'permutation';
  readonly shape: Shape;
  readonly dtype: DType;
  readonly args: readonly number[];
}

/**
 * `jit_call(...operands)`: one compiled call. The jaxpr has no constants of its own
 * (`jit` passes them as leading operands), so backends can compile it once and run it
 * on any operands of its input avals.
 */
export interface JitCallParams {
  readonly jaxpr: Jaxpr;
  /** The jitted function's name, for printing and errors. */
  readonly name: string;
  /** Per operand: the caller gives its buffer up, so the program may reuse it in place. */
  readonly donated: readonly boolean[];
}

export const UNARY_PRIMITIVES = [
  'neg',
  'exp',
  'log',
  'expm1',
  'log1p',
  'sin',
  'cos',
  'tan',
  'tanh',
  'logistic',
  'erf',
  'sqrt',
  'rsqrt',
  'abs',
  'sign',
  'floor',
  'ceil',
  'round',
  'not',
  'is_finite',
] as const satisfies readonly Primitive[];

export const BINARY_PRIMITIVES = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'max',
  'min',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'and',
  'or',
] as const satisfies readonly Primitive[];

export type UnaryPrimitive = (typeof UNARY_PRIMITIVES)[number];
export type BinaryPrimitive = (typeof BINARY_PRIMITIVES)[number];
export const COMPARISONS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

/** Every primitive, for tests that enumerate them (a new primitive must be tested). */
export const ALL_PRIMITIVES: readonly Primitive[] = [
  ...UNARY_PRIMITIVES,
  ...BINARY_PRIMITIVES,
  'select',
  'cast',
  'stop_gradient',
  'reduce_sum',
  'reduce_max',
  'argmax',
  'cumsum',
  'sort',
  'broadcast_in_dim',
  'reshape',
  'transpose',
  'slice',
  'pad',
  'concatenate',
  'gather',
  'scatter_add',
  'dot_general',
  'conv_patches',
  'conv_patches_transpose',
  'scan',
  'cond',
  'while',
  'custom_linear',
  'random_sample',
  'jit_call',
] satisfies readonly Primitive[];
