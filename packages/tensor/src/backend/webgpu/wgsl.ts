import type { DType } from '../../core/dtype';
import { DTypeError } from '../../core/errors';
import type { Shape } from '../../core/shape';
import { WORKGROUP } from './runtime';

/** WGSL scalar type of a dtype on the GPU: `bool` is a 0/1 `u32` (WGSL has no bytes). */
export function wgslType(dtype: DType, op: string): 'f32' | 'i32' | 'u32' {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'u32';
    case 'float64':
      throw float64Error(op);
  }
}

/** The error for float64 on the GPU: WGSL has no 64-bit floats, and we never downcast silently. */
export function float64Error(op: string): DTypeError {
  return new DTypeError(
    `${op}: float64 is not supported on the WebGPU backend (WGSL has no 64-bit floats); cast to float32 first or use the CPU backend`,
  );
}

/** A WGSL literal of `value` as `dtype`, infinities and NaN included (WGSL has no such literals). */
export function literal(value: number, dtype: DType): string {
  if (dtype === 'bool') return value !== 0 ? '1u' : '0u';
  if (dtype === 'int32') return `i32(${value | 0})`;
  // WGSL rejects NaN and infinities in constant expressions; a function argument is not one.
  if (Number.isNaN(value)) return 'jute_bits(0x7fc00000u)';
  if (value === Number.POSITIVE_INFINITY) return 'jute_bits(0x7f800000u)';
  if (value === Number.NEGATIVE_INFINITY) return 'jute_bits(0xff800000u)';
  if (Object.is(value, -0)) return 'bitcast<f32>(0x80000000u)';
  const f = Math.fround(value);
  // Hex bits are exact; decimal literals of extreme values could be rejected as out of range.
  const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
  return `bitcast<f32>(0x${bits.toString(16)}u)`;
}

/** Declares `jute_bits`, which `literal` uses for NaN and infinities; every kernel includes it. */
export const BITS_FN = `var<private> jute_zero: u32 = 0u;
fn jute_bits(b: u32) -> f32 { return bitcast<f32>(b | jute_zero); }`;

/** A storage binding declaration. */
export function binding(i: number, name: string, type: string, write: boolean): string {
  return `@group(0) @binding(${i}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<${type}>;`;
}

/** The entry point of a one-thread-per-element kernel over `n` elements; `body` uses `i`. */
export function elementMain(n: number, body: string): string {
  return `${BITS_FN}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  // A zero the compiler cannot see through: compilers that assume finite floats would
  // otherwise fold infinities and NaN made from constant bits into anything.
  jute_zero = nwg.z - 1u;
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP}u;
  if (i >= ${n}u) { return; }
${body}
}`;
}

/**
 * WGSL statements that split the row-major index `index` over `shape` into coordinates
 * `${prefix}0`, `${prefix}1`, ... (u32). Size-1 axes are constant zeros.
 */
export function decode(index: string, shape: Shape, prefix: string): string {
  const lines: string[] = [`  var ${prefix}r = ${index};`];
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    if (n === 1) lines.push(`  let ${prefix}${d} = 0u;`);
    else if (d === 0) lines.push(`  let ${prefix}${d} = ${prefix}r;`);
    else lines.push(`  let ${prefix}${d} = ${prefix}r % ${n}u; ${prefix}r = ${prefix}r / ${n}u;`);
  }
  return lines.join('\n');
}

/** `offset + Σ coord_d · strides_d` as a u32 expression (zero strides are left out). */
export function dot(prefix: string, strides: readonly number[], offset = 0): string {
  const terms = strides.flatMap((s, d) =>
    s === 0 ? [] : [s === 1 ? `${prefix}${d}` : `${prefix}${d} * ${s}u`],
  );
  if (offset !== 0 || terms.length === 0) terms.unshift(`${offset}u`);
  return terms.join(' + ');
}
