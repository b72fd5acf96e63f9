import type { TypedArray } from '../core/dtype';
import type { Shape } from '../core/shape';
import { stridesOf } from '../core/shape';

/**
 * Data movement (transpose, broadcast, slice, pad, concatenate, im2col) as one strided
 * copy. A copy is first *planned*: axes of size 1 are dropped, neighbours that are
 * contiguous in both source and destination are merged, and the two innermost remaining
 * axes become a 2-D block with a kernel chosen for its strides (contiguous rows, a
 * broadcast fill, a cache-blocked transpose, or a plain strided loop). The outer axes are
 * walked by an odometer that calls the block kernel once per position.
 *
 * Copies move bits, not numbers: float32 and int32 buffers are viewed as 32-bit words,
 * float64 as two words per element, and bool bytes are widened to words around the copy.
 * The kernels therefore only ever see `Int32Array`, whatever the dtype: a V8 loop that
 * has met several typed-array types can run 20–50× slower for all of them (measured),
 * and which dtypes a kernel meets depends on the whole program. NaN payloads survive.
 */

/** A buffer's bits as the kernels see them. */
export type Words = Int32Array;

/** Words per element of a buffer's word view. */
export const wordsPer = (a: TypedArray): 1 | 2 => (a instanceof Float64Array ? 2 : 1);

const view = (a: Exclude<TypedArray, Uint8Array>): Int32Array =>
  a instanceof Int32Array ? a : new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);

/**
 * Runs `body` on word views of two buffers of one dtype. bool goes through int32 copies
 * of both (and back into `dst`): slower, but bool data movement is rare and this keeps the
 * kernels single-typed.
 */
export function withWords(
  src: TypedArray,
  dst: TypedArray,
  body: (src: Words, dst: Words, w: 1 | 2) => void,
): void {
  if (src instanceof Uint8Array || dst instanceof Uint8Array) {
    const d = new Int32Array(dst);
    body(new Int32Array(src), d, 1);
    dst.set(d);
  } else body(view(src), view(dst), wordsPer(src));
}

// `set(subarray)` allocates a view (~50–100 ns); below these run lengths (in words) a
// loop is cheaper. `fill` allocates nothing and wins sooner. Measured on V8 (Node 22).
const SET_MIN = 48;
const FILL_MIN = 16;
// Rows shorter than this are copied column by column.
const SHORT_ROW = 4;
// Transpose tiles: 32×32 words of source and destination stay in L1.
const TILE = 32;

type Kind = 'rows' | 'fill' | 'tile' | 'strided';

/**
 * A planned copy: an odometer over `outer*` and, at each position, a block of `m` rows
 * of `n` elements. Strides are in words; `w` is words per element.
 */
export interface CopyPlan {
  readonly kind: Kind;
  readonly w: 1 | 2;
  readonly outerShape: readonly number[];
  readonly outerSrc: readonly number[];
  readonly outerDst: readonly number[];
  readonly outerCount: number;
  readonly m: number;
  readonly n: number;
  readonly srcRow: number;
  readonly dstRow: number;
  readonly srcCol: number;
  readonly dstCol: number;
}

/** Size-1 axes dropped and neighbours merged where every stride list says contiguous. */
function simplify(
  shape: Shape,
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const out: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const k = outShape.length - 1;
    // The previous kept axis merges into this one if stepping it once equals d steps here.
    if (k >= 0 && strides.every((s, j) => out[j]![k] === s[i]! * d)) {
      outShape[k] = outShape[k]! * d;
      strides.forEach((s, j) => {
        out[j]![k] = s[i]!;
      });
    } else {
      outShape.push(d);
      strides.forEach((s, j) => {
        out[j]!.push(s[i]!);
      });
    }
  }
  return { shape: outShape, strides: out };
}

/** Moves axis `from` to position `to` in each of the lists (in place). */
function moveAxis(lists: number[][], from: number, to: number): void {
  for (const l of lists) l.splice(to, 0, l.splice(from, 1)[0]!);
}

/** Plans a copy of `shape` elements between the given element strides. */
export function planCopy(
  shape: Shape,
  srcStrides: readonly number[],
  dstStrides: readonly number[],
  w: 1 | 2,
): CopyPlan {
  const s = simplify(shape, [srcStrides, dstStrides]);
  const dims = s.shape;
  const [src, dst] = s.strides as [number[], number[]];
  const k = dims.length;
  const empty = shape.some((d) => d === 0);
  const last = k - 1;
  let kind: Kind = 'strided';
  if (k > 0 && dst[last] === 1 && src[last] === 1) kind = 'rows';
  else if (k > 0 && dst[last] === 1 && src[last] === 0) kind = 'fill';
  else if (k > 1 && dst[last] === 1) {
    // A transpose: the source's contiguous axis is somewhere outside. Make it the row axis
    // of the block, so each tile reads and writes whole cache lines.
    const a = src.indexOf(1);
    if (a >= 0 && a < last) {
      moveAxis([dims, src, dst], a, last - 1);
      kind = 'tile';
    }
  }
  const rowAxis = k - 2;
  const outerCount = empty ? 0 : dims.slice(0, Math.max(0, rowAxis)).reduce((a, b) => a * b, 1);
  return {
    kind,
    w,
    outerShape: dims.slice(0, Math.max(0, rowAxis)),
    outerSrc: src.slice(0, Math.max(0, rowAxis)).map((v) => v * w),
    outerDst: dst.slice(0, Math.max(0, rowAxis)).map((v) => v * w),
    outerCount,
    m: rowAxis >= 0 ? dims[rowAxis]! : 1,
    n: k > 0 ? dims[last]! : 1,
    srcRow: rowAxis >= 0 ? src[rowAxis]! * w : 0,
    dstRow: rowAxis >= 0 ? dst[rowAxis]! * w : 0,
    srcCol: k > 0 ? src[last]! * w : 0,
    dstCol: k > 0 ? dst[last]! * w : 0,
  };
}

type Block = (p: CopyPlan, src: Words, s: number, dst: Words, d: number) => void;

/**
 * Fills `dst[d, d + total)` by repeating its first `n` words: the filled prefix doubles
 * with each `copyWithin` (memmove speed, no allocation).
 */
function repeat(dst: Words, d: number, n: number, total: number): void {
  for (let done = n; done < total; done *= 2)
    dst.copyWithin(d + done, d, d + Math.min(done, total - done));
}

/**
 * Rows contiguous in both arrays: `set` for long rows, a loop for short ones. When every
 * row reads the same source and the rows are adjacent (broadcasting a bias or a channel
 * vector), the first row is copied and then repeated.
 */
const copyRows: Block = (p, src, s, dst, d) => {
  const n = p.n * p.w;
  if (p.srcRow === 0 && p.dstRow === n) {
    copyRun(src, s, dst, d, n);
    repeat(dst, d, n, p.m * n);
  } else if (n >= SET_MIN) {
    for (let r = 0; r < p.m; r++, s += p.srcRow, d += p.dstRow) dst.set(src.subarray(s, s + n), d);
  } else if (n < SHORT_ROW) {
    // Tiny rows (im2col of one channel): loop down the columns, which are long.
    for (let j = 0; j < n; j++)
      for (let r = 0, si = s + j, di = d + j; r < p.m; r++, si += p.srcRow, di += p.dstRow)
        dst[di] = src[si]!;
  } else {
    for (let r = 0; r < p.m; r++, s += p.srcRow, d += p.dstRow)
      for (let j = 0; j < n; j++) dst[d + j] = src[s + j]!;
  }
};

/** Each row is one source element repeated (a broadcast along the innermost axis). */
const fillRows: Block = (p, src, s, dst, d) => {
  const n = p.n;
  for (let r = 0; r < p.m; r++, s += p.srcRow, d += p.dstRow) {
    if (p.w === 1) {
      const v = src[s]!;
      if (n >= FILL_MIN) dst.fill(v, d, d + n);
      else for (let j = 0; j < n; j++) dst[d + j] = v;
    } else {
      // A float64 is two words: write the pair, then repeat it.
      dst[d] = src[s]!;
      dst[d + 1] = src[s + 1]!;
      if (n < FILL_MIN) for (let j = 2; j < 2 * n; j++) dst[d + j] = dst[d + j - 2]!;
      else repeat(dst, d, 2, 2 * n);
    }
  }
};

/** A transpose block: rows are contiguous in the source, columns in the destination. */
const tileBlock: Block = (p, src, s, dst, d) => {
  const { m, n, w, srcCol, dstRow } = p;
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let a0 = 0; a0 < m; a0 += TILE) {
      const a1 = Math.min(m, a0 + TILE);
      let a = a0;
      // Four source-adjacent words per step: one loop iteration writes four rows.
      if (w === 1)
        for (; a + 4 <= a1; a += 4) {
          const d0 = d + a * dstRow;
          const d1 = d0 + dstRow;
          const d2 = d1 + dstRow;
          const d3 = d2 + dstRow;
          for (let i = i0, si = s + a + i0 * srcCol; i < i1; i++, si += srcCol) {
            dst[d0 + i] = src[si]!;
            dst[d1 + i] = src[si + 1]!;
            dst[d2 + i] = src[si + 2]!;
            dst[d3 + i] = src[si + 3]!;
          }
        }
      for (; a < a1; a++) {
        let si = s + a * w + i0 * srcCol;
        const di = d + a * dstRow;
        if (w === 1) for (let i = i0; i < i1; i++, si += srcCol) dst[di + i] = src[si]!;
        else
          for (let i = i0; i < i1; i++, si += srcCol) {
            dst[di + 2 * i] = src[si]!;
            dst[di + 2 * i + 1] = src[si + 1]!;
          }
      }
    }
  }
};

/** Any strides: element by element over the block. */
const stridedBlock: Block = (p, src, s, dst, d) => {
  const { m, n, w, srcCol, dstCol } = p;
  for (let r = 0; r < m; r++, s += p.srcRow, d += p.dstRow) {
    if (w === 1)
      for (let j = 0, si = s, di = d; j < n; j++, si += srcCol, di += dstCol) dst[di] = src[si]!;
    else
      for (let j = 0, si = s, di = d; j < n; j++, si += srcCol, di += dstCol) {
        dst[di] = src[si]!;
        dst[di + 1] = src[si + 1]!;
      }
  }
};

const BLOCKS: Record<Kind, Block> = {
  rows: copyRows,
  fill: fillRows,
  tile: tileBlock,
  strided: stridedBlock,
};

/** Calls `block(s, d)` at every position of the plan's outer odometer. */
export function walkOuter(
  p: CopyPlan,
  s: number,
  d: number,
  block: (s: number, d: number) => void,
): void {
  const nd = p.outerShape.length;
  if (nd === 0) {
    if (p.outerCount > 0) block(s, d);
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  const { outerShape, outerSrc, outerDst } = p;
  for (let t = 0; t < p.outerCount; t++) {
    block(s, d);
    for (let ax = nd - 1; ax >= 0; ax--) {
      s += outerSrc[ax]!;
      d += outerDst[ax]!;
      if (++idx[ax]! < outerShape[ax]!) break;
      s -= outerSrc[ax]! * outerShape[ax]!;
      d -= outerDst[ax]! * outerShape[ax]!;
      idx[ax] = 0;
    }
  }
}

/** Runs a plan between word views, at element offsets already scaled to words. */
export function runCopy(p: CopyPlan, src: Words, s: number, dst: Words, d: number): void {
  const block = BLOCKS[p.kind];
  walkOuter(p, s, d, (si, di) => block(p, src, si, dst, di));
}

/**
 * Copies `shape` elements from `src` (element offset `srcOffset`, element strides
 * `srcStrides`) to `dst` (likewise). Both buffers hold the same dtype.
 */
export function copyStrided(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: Shape,
): void {
  if (shape.some((d) => d === 0)) return;
  const plan = planCopy(shape, srcStrides, dstStrides, wordsPer(src));
  withWords(src, dst, (s, d, w) => runCopy(plan, s, srcOffset * w, d, dstOffset * w));
}

/**
 * Copies `src` into the contiguous `dst` visiting the output in row-major order, reading
 * the input at `srcOffset + Σ idx[i]·srcStrides[i]`. Transpose, broadcast and slice are
 * all this copy with different strides.
 */
export function stridedCopy(
  src: TypedArray,
  dst: TypedArray,
  outShape: Shape,
  srcStrides: readonly number[],
  srcOffset: number,
): void {
  copyStrided(src, srcOffset, srcStrides, dst, 0, stridesOf(outShape), outShape);
}

/** Copies `n` words: `set` when long enough to repay its view allocation, else a loop. */
function copyRun(src: Words, s: number, dst: Words, d: number, n: number): void {
  if (n >= SET_MIN) dst.set(src.subarray(s, s + n), d);
  else for (let j = 0; j < n; j++) dst[d + j] = src[s + j]!;
}

/**
 * `gather`: for each of `outer` blocks of `src` (`n` rows of `run` words), copies the rows
 * named by `idx` into consecutive rows of `dst`.
 */
export function gatherRows(
  src: Words,
  dst: Words,
  idx: Int32Array,
  outer: number,
  n: number,
  run: number,
): void {
  const m = idx.length;
  for (let o = 0, d = 0; o < outer; o++) {
    const base = o * n;
    if (run >= SET_MIN)
      for (let j = 0; j < m; j++, d += run) copyRun(src, (base + idx[j]!) * run, dst, d, run);
    else
      for (let j = 0; j < m; j++, d += run)
        for (let t = 0, s = (base + idx[j]!) * run; t < run; t++) dst[d + t] = src[s + t]!;
  }
}
