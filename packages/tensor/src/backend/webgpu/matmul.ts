import type { DType } from '../../core/dtype';
import { binding, wgslType } from './wgsl';

/** Output tile of one workgroup (rows and columns) and the depth of one shared-memory step. */
export const TILE = 64;
export const TILE_K = 16;
/** Threads per tile side: each thread computes a 4×4 block (TILE / THREADS = 4). */
const THREADS = 16;

/**
 * A batched matrix product `c[b] = a[b] @ b[b]` (`[M, K] @ [K, N]`), with `a` stored as
 * `[K, M]` when `transA` and `b` as `[N, K]` when `transB` (what matmul gradients give),
 * read in place.
 *
 * The structure of fast WebGPU matmuls: a 16×16 workgroup computes a 64×64 output tile;
 * per step it stages a 64×16 slice of `a` and a 16×64 slice of `b` in workgroup memory
 * (each thread loads 4 elements of each, coalesced along the stored layout), then each
 * thread accumulates a 4×4 block in registers as four `vec4` rows, reading one `vec4` of
 * `a` (its 4 rows) and one of `b` (its 4 columns) per k: 16 multiply-adds per two
 * shared-memory reads. Edges load zeros and store nothing, so any M, N, K work.
 */
export function matmulKernel(
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  dtype: DType,
): string {
  if (!transA && !transB && k % 4 === 0 && n % 4 === 0) return matmulVec4Kernel(m, k, n, dtype);
  const t = wgslType(dtype, 'dot_general');
  const v = `vec4<${t}>`;
  const per = (TILE * TILE_K) / (THREADS * THREADS);
  // Loader coordinates: consecutive threads walk the stored layout's fast axis.
  const aLoad = transA
    ? `let ar = l % ${TILE}u; let ak = l / ${TILE}u;`
    : `let ar = l / ${TILE_K}u; let ak = l % ${TILE_K}u;`;
  const aIndex = transA ? `gk * ${m}u + gr` : `gr * ${k}u + gk`;
  const bLoad = transB
    ? `let bc = l / ${TILE_K}u; let bk = l % ${TILE_K}u;`
    : `let bc = l % ${TILE}u; let bk = l / ${TILE}u;`;
  const bIndex = transB ? `gc * ${k}u + gk` : `gk * ${n}u + gc`;
  return `${tileHead(t, 1, m, k, n)}
  var acc: array<${v}, 4>;
  for (var k0 = 0u; k0 < ${k}u; k0 += ${TILE_K}u) {
    for (var e = 0u; e < ${per}u; e++) {
      let l = lid + e * ${THREADS * THREADS}u;
      ${aLoad}
      var av = ${t}(0);
      let gr = row0 + ar;
      var gk = k0 + ak;
      if (gr < ${m}u && gk < ${k}u) { av = a[aBase + ${aIndex}]; }
      As[ak][ar / 4u][ar % 4u] = av;
      ${bLoad}
      var bv = ${t}(0);
      let gc = col0 + bc;
      gk = k0 + bk;
      if (gc < ${n}u && gk < ${k}u) { bv = b[bBase + ${bIndex}]; }
      Bs[bk][bc / 4u][bc % 4u] = bv;
    }
${ACCUMULATE_TILE}
  }
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + ty * 4u + r;
    if (row >= ${m}u) { break; }
    for (var q = 0u; q < 4u; q++) {
      let col = col0 + tx * 4u + q;
      if (col < ${n}u) { c[cBase + row * ${n}u + col] = acc[r][q]; }
    }
  }
}
`;
}

/**
 * The same tiling with `vec4` memory traffic, for row-major operands whose K and N are
 * multiples of 4 (most layer sizes): each thread moves one `vec4` of `a` and one of `b`
 * per step instead of four scalars each, and stores its rows as `vec4`s.
 */
function matmulVec4Kernel(m: number, k: number, n: number, dtype: DType): string {
  const t = wgslType(dtype, 'dot_general');
  const v = `vec4<${t}>`;
  return `${tileHead(t, 4, m, k, n)}
  // Loader coordinates: a row of 4 k-quads per a-row, 16 column-quads per b-row.
  let ar = lid / 4u;
  let aq = lid % 4u;
  let bk = lid / ${THREADS}u;
  let bq = lid % ${THREADS}u;
  var acc: array<${v}, 4>;
  for (var k0 = 0u; k0 < ${k}u; k0 += ${TILE_K}u) {
    let gr = row0 + ar;
    let gka = k0 + aq * 4u;
    var av = ${v}(0);
    if (gr < ${m}u && gka < ${k}u) { av = a[aBase + (gr * ${k}u + gka) / 4u]; }
    As[aq * 4u][ar / 4u][ar % 4u] = av.x;
    As[aq * 4u + 1u][ar / 4u][ar % 4u] = av.y;
    As[aq * 4u + 2u][ar / 4u][ar % 4u] = av.z;
    As[aq * 4u + 3u][ar / 4u][ar % 4u] = av.w;
    let gkb = k0 + bk;
    let gc = col0 + bq * 4u;
    var bv = ${v}(0);
    if (gkb < ${k}u && gc < ${n}u) { bv = b[bBase + (gkb * ${n}u + gc) / 4u]; }
    Bs[bk][bq] = bv;
${ACCUMULATE_TILE}
  }
  let col = col0 + tx * 4u;
  if (col >= ${n}u) { return; }
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + ty * 4u + r;
    if (row < ${m}u) { c[cBase + (row * ${n}u + col) / 4u] = acc[r]; }
  }
}
`;
}

/**
 * Both kernels' bindings (of scalars `t`, or of `vec4`s when `per` is 4), staging tiles
 * and start: the thread's place in the tile, and where its batch's matrices begin.
 */
function tileHead(t: string, per: 1 | 4, m: number, k: number, n: number): string {
  const word = per === 1 ? t : `vec4<${t}>`;
  return `${binding(0, 'a', word, false)}
${binding(1, 'b', word, false)}
${binding(2, 'c', word, true)}
var<workgroup> As: array<array<vec4<${t}>, ${THREADS}>, ${TILE_K}>;
var<workgroup> Bs: array<array<vec4<${t}>, ${THREADS}>, ${TILE_K}>;
@compute @workgroup_size(${THREADS}, ${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid3.x;
  let ty = lid3.y;
  let row0 = wid.y * ${TILE}u;
  let col0 = wid.x * ${TILE}u;
  let aBase = wid.z * ${(m * k) / per}u;
  let bBase = wid.z * ${(k * n) / per}u;
  let cBase = wid.z * ${(m * n) / per}u;`;
}

/** One staged step of both kernels: each thread's 4×4 block takes the tiles' `TILE_K` terms. */
const ACCUMULATE_TILE = `    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk++) {
      let ra = As[kk][ty];
      let rb = Bs[kk][tx];
      acc[0] += ra.x * rb;
      acc[1] += ra.y * rb;
      acc[2] += ra.z * rb;
      acc[3] += ra.w * rb;
    }
    workgroupBarrier();`;

/** Workgroups of `matmulKernel`: column tiles, row tiles, batch. */
export const matmulGroups = (batch: number, m: number, n: number): [number, number, number] => [
  Math.ceil(n / TILE),
  Math.ceil(m / TILE),
  batch,
];
