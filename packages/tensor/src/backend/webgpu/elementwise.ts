import type { DType } from '../../core/dtype';
import { DTypeError } from '../../core/errors';
import {
  BINARY_PRIMITIVES,
  type BinaryPrimitive,
  type COMPARISONS,
  type PrimitiveParams,
  UNARY_PRIMITIVES,
  type UnaryPrimitive,
} from '../../core/primitives';
import type { Shape } from '../../core/shape';
import { binding, decode, dot, elementMain, literal, wgslType } from './wgsl';

/** Primitives a fused elementwise kernel can hold. */
export type ElementwisePrimitive =
  | UnaryPrimitive
  | BinaryPrimitive
  | 'select'
  | 'cast'
  | 'stop_gradient';

// Inside a pure call: a bundler cannot drop the spreads, so programs without WebGPU kept it.
const ELEMENTWISE = /*#__PURE__*/ (() =>
  new Set<string>([
    ...UNARY_PRIMITIVES,
    ...BINARY_PRIMITIVES,
    'select',
    'cast',
    'stop_gradient',
  ]))();

export const isElementwise = (p: string): p is ElementwisePrimitive => ELEMENTWISE.has(p);

/** One operation of a fused kernel: `args` index values (inputs first, then earlier ops). */
export interface EwOp {
  readonly prim: ElementwisePrimitive;
  readonly params: PrimitiveParams[ElementwisePrimitive];
  readonly args: readonly number[];
  /** Dtype of the result. */
  readonly dtype: DType;
}

/** An input of a fused kernel; `strides` (over the output shape) read it broadcast. */
export interface EwInput {
  readonly dtype: DType;
  readonly strides?: readonly number[];
}

/** A fused elementwise kernel over one output shape. */
export interface EwKernel {
  readonly shape: Shape;
  readonly inputs: readonly EwInput[];
  readonly ops: readonly EwOp[];
  /** Values written out, in binding order after the inputs. */
  readonly outputs: readonly number[];
}

// Helpers the expressions call. NaN and infinity are tested on bits because WGSL
// compilers may assume floats are finite.
const PRELUDE = `fn jute_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn jute_isfinite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
fn jute_max(a: f32, b: f32) -> f32 { return select(b, a, (a > b && !jute_isnan(b)) || jute_isnan(a)); }
fn jute_min(a: f32, b: f32) -> f32 { return select(b, a, (a < b && !jute_isnan(b)) || jute_isnan(a)); }
fn jute_log(x: f32) -> f32 { return select(log(x), jute_bits(0x7fc00000u), x < 0.0); }
fn jute_sqrt(x: f32) -> f32 { return select(sqrt(x), jute_bits(0x7fc00000u), x < 0.0); }
fn jute_sign(x: f32) -> f32 { return select(select(x, -1.0, x < 0.0), 1.0, x > 0.0); }
fn jute_exp(x: f32) -> f32 {
  // Near overflow some GPUs' exp (exp2 of x·log2 e) overflows early; squaring a half does not.
  if (x > 80.0 && !jute_isnan(x)) { let h = exp(0.5 * x); return h * h; }
  return exp(x);
}
fn jute_expm1(x: f32) -> f32 {
  // Kahan's trick: exact where exp(x) rounds to 1, accurate elsewhere.
  if (x > 80.0 && !jute_isnan(x)) { return jute_exp(x); }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  return um1 * x / log(u);
}
fn jute_log1p(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (!jute_isfinite(u) || u < 0.0) { return select(u, jute_bits(0x7fc00000u), u < 0.0); }
  if (u > 1e30) { return log(u); }
  return log(u) * x / (u - 1.0);
}
fn jute_tanh(x: f32) -> f32 {
  // tanh|x| = -expm1(-2|x|) / (2 + expm1(-2|x|)): no overflow, accurate near 0.
  let e = jute_expm1(-2.0 * abs(x));
  let r = -e / (2.0 + e);
  return select(r, -r, x < 0.0);
}
fn jute_logistic(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn jute_erf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    // Taylor series: relative accuracy near 0, where the rational fit below has only absolute.
    let z = x * x;
    return x * 1.1283791671 * (1.0 + z * (-0.3333333333 + z * (0.1 + z * (-0.0238095238 + z * (0.0046296296 - z * 0.0007575758)))));
  }
  // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7).
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let r = 1.0 - p * exp(-a * a);
  return select(r, -r, x < 0.0);
}
fn jute_pow(a: f32, b: f32) -> f32 {
  // WGSL's pow is undefined for a <= 0; this follows IEEE pow (and JS's **) instead.
  if (b == 0.0) { return 1.0; }
  if (jute_isnan(a) || jute_isnan(b)) { return jute_bits(0x7fc00000u); }
  let odd = floor(b) == b && abs(b) < 16777216.0 && b - 2.0 * floor(b * 0.5) == 1.0;
  if (a == 0.0) {
    if (b > 0.0) { return select(0.0, a, odd); }
    return select(jute_bits(0x7f800000u), select(jute_bits(0x7f800000u), jute_bits(0xff800000u), bitcast<u32>(a) != 0u), odd);
  }
  let m = pow(abs(a), b);
  if (a > 0.0) { return m; }
  if (floor(b) != b) { return jute_bits(0x7fc00000u); }
  return select(m, -m, odd);
}
`;

/** A float32 unary op, NaN operands aside. */
function floatUnary(prim: UnaryPrimitive, x: string): string {
  switch (prim) {
    case 'neg':
      return `(-${x})`;
    case 'rsqrt':
      return `(1.0 / jute_sqrt(${x}))`;
    case 'log':
    case 'sqrt':
    case 'exp':
    case 'expm1':
    case 'log1p':
    case 'tanh':
    case 'logistic':
    case 'erf':
    case 'sign':
      return `jute_${prim}(${x})`;
    default:
      return `${prim}(${x})`;
  }
}

function unaryExpr(prim: UnaryPrimitive, dtype: DType, x: string): string {
  const t = wgslType(dtype, prim);
  if (prim === 'not')
    return t === 'u32' ? `(1u - ${x})` : `select(${t}(0), ${t}(1), ${x} == ${t}(0))`;
  if (prim === 'is_finite') return t === 'f32' ? `select(0u, 1u, jute_isfinite(${x}))` : '1u';
  if (t === 'f32') {
    // WGSL's builtins need not propagate NaN (SwiftShader: exp(NaN) = inf, log(NaN) = 89),
    // so a NaN operand passes through explicitly.
    const e = floatUnary(prim, x);
    return prim === 'neg' || prim === 'abs' ? e : `select(${e}, ${x}, jute_isnan(${x}))`;
  }
  if (t === 'i32') {
    switch (prim) {
      case 'neg':
        return `(-${x})`;
      case 'abs':
      case 'sign':
        return `${prim}(${x})`;
      case 'floor':
      case 'ceil':
      case 'round':
        return x;
      default:
        // Transcendentals of integers: computed in float and truncated, as the CPU stores them.
        return `i32(${unaryExpr(prim, 'float32', `f32(${x})`)})`;
    }
  }
  if (prim === 'abs' || prim === 'floor' || prim === 'ceil' || prim === 'round') return x;
  throw new DTypeError(`${prim}: bool operands are not supported on the WebGPU backend`);
}

function binaryExpr(prim: BinaryPrimitive, dtype: DType, a: string, b: string): string {
  const t = wgslType(dtype, prim);
  const cmp: Record<(typeof COMPARISONS)[number], string> = {
    eq: '==',
    ne: '!=',
    lt: '<',
    le: '<=',
    gt: '>',
    ge: '>=',
  };
  // Compilers may assume floats are never NaN (SwiftShader gives NaN > 80 as true), so
  // NaN operands are decided explicitly: unequal to everything, unordered.
  if (t === 'f32' && prim in cmp) {
    const nan = `(jute_isnan(${a}) || jute_isnan(${b}))`;
    const c = `${a} ${cmp[prim as keyof typeof cmp]} ${b}`;
    return prim === 'ne' ? `select(0u, 1u, ${c} || ${nan})` : `select(0u, 1u, ${c} && !${nan})`;
  }
  if (prim in cmp) return `select(0u, 1u, ${a} ${cmp[prim as keyof typeof cmp]} ${b})`;
  switch (prim) {
    case 'add':
      return `(${a} + ${b})`;
    case 'sub':
      return `(${a} - ${b})`;
    case 'mul':
      return `(${a} * ${b})`;
    case 'div':
      // Integer division truncates and gives 0 for a zero divisor, as on the CPU.
      return t === 'f32' ? `(${a} / ${b})` : `select(${a} / ${b}, ${t}(0), ${b} == ${t}(0))`;
    case 'pow':
      return t === 'f32' ? `jute_pow(${a}, ${b})` : `${t}(jute_pow(f32(${a}), f32(${b})))`;
    case 'max':
      return t === 'f32' ? `jute_max(${a}, ${b})` : `max(${a}, ${b})`;
    case 'min':
      return t === 'f32' ? `jute_min(${a}, ${b})` : `min(${a}, ${b})`;
    case 'and':
    case 'or':
      if (t === 'f32') throw new DTypeError(`${prim}: float operands are not supported`);
      return `(${a} ${prim === 'and' ? '&' : '|'} ${b})`;
    default:
      throw new DTypeError(`${prim}: not an elementwise binary primitive`);
  }
}

function castExpr(from: DType, to: DType, x: string): string {
  const tf = wgslType(from, 'cast');
  const tt = wgslType(to, 'cast');
  if (tf === tt) return x;
  if (tt === 'u32')
    return tf === 'f32'
      ? `select(0u, 1u, ${x} != 0.0 || jute_isnan(${x}))`
      : `select(0u, 1u, ${x} != ${tf}(0))`;
  if (tt === 'i32' && tf === 'f32') return `select(i32(trunc(${x})), 0, jute_isnan(${x}))`;
  return `${tt}(${x})`;
}

function opExpr(op: EwOp, dtypes: readonly DType[], v: (k: number) => string): string {
  const [a, b, c] = op.args;
  switch (op.prim) {
    case 'select':
      return `select(${v(c!)}, ${v(b!)}, ${v(a!)} != 0u)`;
    case 'cast':
      return castExpr(dtypes[a!]!, op.dtype, v(a!));
    case 'stop_gradient':
      return v(a!);
    default:
      if (op.args.length === 1) return unaryExpr(op.prim as UnaryPrimitive, dtypes[a!]!, v(a!));
      return binaryExpr(op.prim as BinaryPrimitive, dtypes[a!]!, v(a!), v(b!));
  }
}

/** The WGSL of a fused elementwise kernel: one thread per element, no intermediate buffers. */
export function elementwiseKernel(k: EwKernel, op: string): string {
  const n = k.shape.reduce((x, y) => x * y, 1);
  const dtypes: DType[] = [...k.inputs.map((x) => x.dtype), ...k.ops.map((o) => o.dtype)];
  const decls: string[] = [];
  const body: string[] = [];
  k.inputs.forEach((x, j) => {
    decls.push(binding(j, `in${j}`, wgslType(x.dtype, op), false));
  });
  k.outputs.forEach((vIdx, j) => {
    decls.push(binding(k.inputs.length + j, `out${j}`, wgslType(dtypes[vIdx]!, op), true));
  });
  if (k.inputs.some((x) => x.strides !== undefined)) body.push(decode('i', k.shape, 'c'));
  k.inputs.forEach((x, j) => {
    const at = x.strides === undefined ? 'i' : dot('c', x.strides);
    body.push(`  let v${j} = in${j}[${at}];`);
  });
  const nIn = k.inputs.length;
  k.ops.forEach((o, j) => {
    body.push(`  let v${nIn + j} = ${opExpr(o, dtypes, (a) => `v${a}`)};`);
  });
  k.outputs.forEach((vIdx, j) => {
    body.push(`  out${j}[i] = v${vIdx};`);
  });
  return `${PRELUDE}\n${decls.join('\n')}\n${elementMain(n, body.join('\n'))}\n`;
}

/** Literal helper re-exported for kernels that fill. */
export { literal };
