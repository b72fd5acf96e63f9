import { windowOutSize } from '../../core/conv-shape';
import type { DType } from '../../core/dtype';
import type { ConvPatchesParams } from '../../core/primitives';
import type { Shape } from '../../core/shape';
import { binding, decode, elementMain, wgslType } from './wgsl';

/** Window geometry with 1-D convolutions as 2-D ones of height 1. */
function geometry(inShape: Shape, p: ConvPatchesParams) {
  const two = inShape.length === 4;
  const [N, H, W, C] = (two ? inShape : [inShape[0]!, 1, inShape[1]!, inShape[2]!]) as number[];
  const one = <T>(v: readonly T[], unit: T): T[] => (two ? [...v] : [unit, v[0]!]);
  const [kh, kw] = one(p.window, 1) as [number, number];
  const [sh, sw] = one(p.strides, 1) as [number, number];
  const [ph, pw] = one(p.padding, [0, 0] as const) as [
    readonly [number, number],
    readonly [number, number],
  ];
  const [lh, lw] = one(p.lhsDilation, 1) as [number, number];
  const [rh, rw] = one(p.rhsDilation, 1) as [number, number];
  const Ho = windowOutSize(H!, kh, sh, ph, lh, rh);
  const Wo = windowOutSize(W!, kw, sw, pw, lw, rw);
  return {
    N: N!,
    H: H!,
    W: W!,
    C: C!,
    kh,
    kw,
    sh,
    sw,
    ph: ph[0],
    pw: pw[0],
    lh,
    lw,
    rh,
    rw,
    Ho,
    Wo,
  };
}

/**
 * im2col, one thread per patch element: tap (ki, kj) of output position (oh, ow) reads
 * input position `o·stride + k·rhsDilation − padLo` of the dilated, padded image, or 0 in
 * padding and in the holes of an input dilation.
 */
export function im2colKernel(inShape: Shape, p: ConvPatchesParams, dtype: DType): string {
  const g = geometry(inShape, p);
  const t = wgslType(dtype, 'conv_patches');
  const n = g.N * g.Ho * g.Wo * g.kh * g.kw * g.C;
  const body = [
    decode('i', [g.N, g.Ho, g.Wo, g.kh, g.kw, g.C], 'c'),
    `  let yh = i32(c1 * ${g.sh}u + c3 * ${g.rh}u) - ${g.ph};`,
    `  let yw = i32(c2 * ${g.sw}u + c4 * ${g.rw}u) - ${g.pw};`,
    `  let ok = yh >= 0 && yw >= 0 && yh % ${g.lh} == 0 && yw % ${g.lw} == 0 && yh / ${g.lh} < ${g.H} && yw / ${g.lw} < ${g.W};`,
    `  var v = ${t}(0);`,
    `  if (ok) { v = x[((c0 * ${g.H}u + u32(yh / ${g.lh})) * ${g.W}u + u32(yw / ${g.lw})) * ${g.C}u + c5]; }`,
    '  out[i] = v;',
  ].join('\n');
  return `${binding(0, 'x', t, false)}\n${binding(1, 'out', t, true)}\n${elementMain(n, body)}\n`;
}

/**
 * col2im (the transpose of im2col), one thread per image element: it sums the patch
 * entries that read it, over window taps, so no two threads write one place (no atomics).
 */
export function col2imKernel(inShape: Shape, p: ConvPatchesParams, dtype: DType): string {
  const g = geometry(inShape, p);
  const t = wgslType(dtype, 'conv_patches_transpose');
  const K = g.kh * g.kw * g.C;
  const body = [
    decode('i', [g.N, g.H, g.W, g.C], 'c'),
    `  var acc = ${t}(0);`,
    `  for (var ki = 0; ki < ${g.kh}; ki++) {`,
    `    let yh = i32(c1 * ${g.lh}u) + ${g.ph} - ki * ${g.rh};`,
    `    if (yh < 0 || yh % ${g.sh} != 0 || yh / ${g.sh} >= ${g.Ho}) { continue; }`,
    `    for (var kj = 0; kj < ${g.kw}; kj++) {`,
    `      let yw = i32(c2 * ${g.lw}u) + ${g.pw} - kj * ${g.rw};`,
    `      if (yw < 0 || yw % ${g.sw} != 0 || yw / ${g.sw} >= ${g.Wo}) { continue; }`,
    `      acc += cols[((c0 * ${g.Ho}u + u32(yh / ${g.sh})) * ${g.Wo}u + u32(yw / ${g.sw})) * ${K}u + u32(ki * ${g.kw} + kj) * ${g.C}u + c3];`,
    '    }',
    '  }',
    '  out[i] = acc;',
  ].join('\n');
  return `${binding(0, 'cols', t, false)}\n${binding(1, 'out', t, true)}\n${elementMain(g.N * g.H * g.W * g.C, body)}\n`;
}
