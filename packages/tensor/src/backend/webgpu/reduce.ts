import type { DType } from '../../core/dtype';
import { type Shape, sizeOf, stridesOf } from '../../core/shape';
import { BITS_FN, binding, decode, dot, elementMain, literal, wgslType } from './wgsl';

const ISNAN =
  'fn jute_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }';

/** Threads of the workgroup that cooperates on one output of a long reduction. */
export const REDUCE_GROUP = 256;

/** Reductions longer than this get a workgroup per output instead of a thread. */
export const LONG_REDUCTION = 512;

/** Kept and reduced axes of `shape` with their strides in the input. */
function split(shape: Shape, axes: readonly number[]) {
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const red = shape.map((_, i) => i).filter((i) => axes.includes(i));
  return {
    keptShape: kept.map((i) => shape[i]!),
    keptStrides: kept.map((i) => strides[i]!),
    redShape: red.map((i) => shape[i]!),
    redStrides: red.map((i) => strides[i]!),
  };
}

function combine(kind: 'sum' | 'max', t: string, acc: string, v: string): string {
  if (kind === 'sum') return `${acc} + ${v}`;
  // NaN wins, as on the CPU.
  return t === 'f32'
    ? `select(${acc}, ${v}, ${v} > ${acc} || jute_isnan(${v}))`
    : `max(${acc}, ${v})`;
}

function initial(kind: 'sum' | 'max', dtype: DType): string {
  if (kind === 'sum') return literal(0, dtype);
  if (dtype === 'int32') return 'i32(-2147483648)';
  if (dtype === 'bool') return '0u';
  return literal(Number.NEGATIVE_INFINITY, dtype);
}

/**
 * `reduce_sum` / `reduce_max` over any axes, reading the input in place through strides
 * (no transposed copy). Short reductions run one thread per output; long ones give each
 * output a workgroup that strides over the reduced elements and combines in shared memory
 * (a bias gradient sums a whole batch of feature maps into a few outputs).
 */
export function reduceKernel(
  shape: Shape,
  axes: readonly number[],
  kind: 'sum' | 'max',
  dtype: DType,
): { code: string; long: boolean; outputs: number } {
  const op = kind === 'sum' ? 'reduce_sum' : 'reduce_max';
  const t = wgslType(dtype, op);
  const s = split(shape, axes);
  const outputs = sizeOf(s.keptShape);
  const r = sizeOf(s.redShape);
  const decls = `${ISNAN}\n${binding(0, 'x', t, false)}\n${binding(1, 'out', t, true)}`;
  const init = initial(kind, dtype);
  if (r <= LONG_REDUCTION) {
    const body = [
      decode('i', s.keptShape, 'k'),
      `  let base = ${dot('k', s.keptStrides)};`,
      `  var acc = ${init};`,
      `  for (var j = 0u; j < ${r}u; j++) {`,
      decode('j', s.redShape, 'q').replace(/^/gm, '  '),
      `    let v = x[base + ${dot('q', s.redStrides)}];`,
      `    acc = ${combine(kind, t, 'acc', 'v')};`,
      '  }',
      '  out[i] = acc;',
    ].join('\n');
    return { code: `${decls}\n${elementMain(outputs, body)}\n`, long: false, outputs };
  }
  const code = `${decls}
${BITS_FN}
var<workgroup> part: array<${t}, ${REDUCE_GROUP}>;
@compute @workgroup_size(${REDUCE_GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x + wid.y * nwg.x;
  let inRange = i < ${outputs}u;
${decode('min(i, ' + (outputs - 1) + 'u)', s.keptShape, 'k')}
  let base = ${dot('k', s.keptStrides)};
  var acc = ${init};
  for (var j = lid; j < ${r}u; j += ${REDUCE_GROUP}u) {
${decode('j', s.redShape, 'q').replace(/^/gm, '  ')}
    let v = x[base + ${dot('q', s.redStrides)}];
    acc = ${combine(kind, t, 'acc', 'v')};
  }
  part[lid] = acc;
  for (var w = ${REDUCE_GROUP / 2}u; w > 0u; w = w / 2u) {
    workgroupBarrier();
    if (lid < w) { part[lid] = ${combine(kind, t, 'part[lid]', 'part[lid + w]')}; }
  }
  if (lid == 0u && inRange) { out[i] = part[0]; }
}
`;
  return { code, long: true, outputs };
}

/** `argmax` along `axis` of `[outer, n, inner]`: the first maximum; the first NaN wins. */
export function argmaxKernel(outer: number, n: number, inner: number, dtype: DType): string {
  const t = wgslType(dtype, 'argmax');
  const isNan = t === 'f32' ? 'jute_isnan(v)' : 'false';
  const bvNan = t === 'f32' ? 'jute_isnan(bv)' : 'false';
  const body = [
    `  let o = i / ${inner}u; let q = i % ${inner}u;`,
    `  let base = o * ${n * inner}u + q;`,
    '  var best = 0;',
    '  var bv = x[base];',
    `  for (var j = 1u; j < ${n}u; j++) {`,
    `    if (${bvNan}) { break; }`,
    `    let v = x[base + j * ${inner}u];`,
    `    if (v > bv || ${isNan}) { bv = v; best = i32(j); }`,
    '  }',
    '  out[i] = best;',
  ].join('\n');
  return `${ISNAN}\n${binding(0, 'x', t, false)}\n${binding(1, 'out', 'i32', true)}\n${elementMain(outer * inner, body)}\n`;
}

/** `cumsum` along the middle axis of `[outer, n, inner]`, one thread per line. */
export function cumsumKernel(
  outer: number,
  n: number,
  inner: number,
  reverse: boolean,
  dtype: DType,
): string {
  const t = wgslType(dtype, 'cumsum');
  const at = reverse ? `(${n - 1}u - s)` : 's';
  const body = [
    `  let o = i / ${inner}u; let q = i % ${inner}u;`,
    `  let base = o * ${n * inner}u + q;`,
    `  var acc = ${t}(0);`,
    `  for (var s = 0u; s < ${n}u; s++) {`,
    `    let k = base + ${at} * ${inner}u;`,
    '    acc += x[k];',
    '    out[k] = acc;',
    '  }',
  ].join('\n');
  return `${binding(0, 'x', t, false)}\n${binding(1, 'out', t, true)}\n${elementMain(outer * inner, body)}\n`;
}

/**
 * Stable ascending `sort` along the middle axis: each element counts the elements that go
 * before it (smaller, or equal and earlier; NaN last) and writes itself at that rank.
 * Quadratic per line, which suits the short axes sorting is used for (top-k, medians).
 */
export function sortKernel(outer: number, n: number, inner: number, dtype: DType): string {
  const t = wgslType(dtype, 'sort');
  const before =
    t === 'f32'
      ? '(!jute_isnan(u) && (jute_isnan(v) || u < v)) || (u == v && j < p) || (jute_isnan(u) && jute_isnan(v) && j < p)'
      : 'u < v || (u == v && j < p)';
  const body = [
    `  let o = i / ${n * inner}u; let p = (i / ${inner}u) % ${n}u; let q = i % ${inner}u;`,
    `  let base = o * ${n * inner}u + q;`,
    '  let v = x[i];',
    '  var rank = 0u;',
    `  for (var j = 0u; j < ${n}u; j++) {`,
    `    let u = x[base + j * ${inner}u];`,
    `    if (${before}) { rank++; }`,
    '  }',
    `  vals[base + rank * ${inner}u] = v;`,
    `  idxs[base + rank * ${inner}u] = i32(p);`,
  ].join('\n');
  return `${ISNAN}\n${binding(0, 'x', t, false)}\n${binding(1, 'vals', t, true)}\n${binding(2, 'idxs', 'i32', true)}\n${elementMain(outer * n * inner, body)}\n`;
}
