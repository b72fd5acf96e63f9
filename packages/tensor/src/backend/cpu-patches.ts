import { windowOutSize } from '../core/conv-shape';
import type { TypedArray } from '../core/dtype';
import type { ConvPatchesParams } from '../core/primitives';
import { type Shape, sizeOf } from '../core/shape';
import { addStrided } from './accumulate';
import { type CopyPlan, planCopy, runCopy, walkOuter, withWords, wordsPer } from './strided';

/**
 * The output positions `o` along one axis at which window tap `k` lands on an input
 * element (not padding, not a hole of the input dilation): an arithmetic progression,
 * `first + t·step` for `t < count`, reading input index `inFirst + t·inStep`.
 */
interface Taps {
  first: number;
  count: number;
  step: number;
  inFirst: number;
  inStep: number;
}

function taps(
  outSize: number,
  size: number,
  k: number,
  stride: number,
  pad: number,
  ld: number,
  rd: number,
): Taps {
  const span = size === 0 ? 0 : (size - 1) * ld + 1;
  const at = (o: number) => o * stride + k * rd - pad; // position in the dilated, padded input
  let first = -1;
  let second = -1;
  let count = 0;
  // Output sizes are small; a scan is simpler than solving the congruence.
  for (let o = 0; o < outSize; o++) {
    const y = at(o);
    if (y < 0 || y >= span || y % ld !== 0) continue;
    if (first < 0) first = o;
    else if (second < 0) second = o;
    count++;
  }
  const step = second >= 0 ? second - first : 1;
  return { first, count, step, inFirst: at(first) / ld, inStep: (step * stride) / ld };
}

/** One window tap (ki, kj), or a run of taps along a window row, as a strided copy. */
interface TapPlan {
  plan: CopyPlan;
  image: number; // element offset in one image
  cols: number; // element offset in one image's patches
}

/** The window geometry, 1-D as 2-D with height 1. */
function geometry(inShape: Shape, p: ConvPatchesParams) {
  const two = inShape.length === 4;
  const [, H, W, C] = (two ? inShape : [inShape[0]!, 1, inShape[1]!, inShape[2]!]) as number[];
  const one = <T>(v: readonly T[], unit: T): T[] => (two ? [...v] : [unit, v[0]!]);
  const [kh, kw] = one(p.window, 1) as [number, number];
  const str = one(p.strides, 1);
  const pad = one(p.padding, [0, 0] as const);
  const ld = one(p.lhsDilation, 1);
  const rd = one(p.rhsDilation, 1);
  const Ho = windowOutSize(H!, kh, str[0]!, pad[0]!, ld[0]!, rd[0]!);
  const Wo = windowOutSize(W!, kw, str[1]!, pad[1]!, ld[1]!, rd[1]!);
  const rowTaps = (ki: number) => taps(Ho, H!, ki, str[0]!, pad[0]![0], ld[0]!, rd[0]!);
  const colTaps = (kj: number) => taps(Wo, W!, kj, str[1]!, pad[1]![0], ld[1]!, rd[1]!);
  const unitW = ld[1] === 1 && rd[1] === 1;
  return { H: H!, W: W!, C: C!, kh, kw, Ho, Wo, rowTaps, colTaps, unitW };
}

/** Taps along W, the first kj they belong to, and how many consecutive kj they cover. */
type RowTaps = [Taps, number, number];

/** The part of contiguous taps `t` (step 1) at output positions `[o0, o1)`. */
function part(t: Taps, o0: number, o1: number): Taps {
  return { ...t, first: o0, count: o1 - o0, inFirst: t.inFirst + (o0 - t.first) * t.inStep };
}

/**
 * The taps of one window row as `[taps, first kj, how many kj]`. Without dilation along W,
 * the kw taps of one output position read kw·C contiguous image elements and write kw·C
 * contiguous patch elements, so the positions whose whole window row is inside the image
 * run as one copy of kw·C runs; positions near a padded edge run tap by tap. Everything is
 * listed in decreasing kj within increasing output position, the order in which col2im
 * must add a pixel's contributions.
 */
function windowRow(g: ReturnType<typeof geometry>): RowTaps[] {
  const each = [...Array(g.kw).keys()].reverse().map((kj): RowTaps => [g.colTaps(kj), kj, 1]);
  const live = each.filter(([t]) => t.count > 0);
  if (!g.unitW || g.kw === 1 || live.length < g.kw) return live;
  const a = Math.max(...each.map(([t]) => t.first));
  const b = Math.min(...each.map(([t]) => t.first + t.count));
  if (b <= a) return live;
  const end = (t: Taps) => t.first + t.count;
  const left = each.map(([t, kj]): RowTaps => [part(t, t.first, Math.min(a, end(t))), kj, 1]);
  const right = each.map(([t, kj]): RowTaps => [part(t, Math.max(b, t.first), end(t)), kj, 1]);
  const whole: RowTaps = [part(g.colTaps(0), a, b), 0, g.kw];
  return [...left, whole, ...right].filter(([t]) => t.count > 0);
}

/**
 * Plans im2col as strided copies, one per window tap (or run of taps): tap (ki, kj) of
 * every output position reads a strided sub-grid of the image and writes a strided
 * sub-grid of the patches, both with runs of C (or kw·C) contiguous. `fromCols` plans the
 * reverse direction (col2im). Rows are listed last-first, so that col2im adds each
 * pixel's contributions in increasing output position, as a naive loop does.
 */
function planTaps(inShape: Shape, p: ConvPatchesParams, w: 1 | 2, fromCols: boolean): TapPlan[] {
  const g = geometry(inShape, p);
  const { W, C, Wo } = g;
  const cols = g.kh * g.kw * C;
  const row = windowRow(g);
  const plans: TapPlan[] = [];
  for (let ki = g.kh - 1; ki >= 0; ki--) {
    const th = g.rowTaps(ki);
    if (th.count === 0) continue;
    for (const [tw, kj, n] of row) {
      const shape = [th.count, tw.count, n * C];
      const imageStrides = [th.inStep * W * C, tw.inStep * C, 1];
      const colStrides = [th.step * Wo * cols, tw.step * cols, 1];
      plans.push({
        plan: fromCols
          ? planCopy(shape, colStrides, imageStrides, w)
          : planCopy(shape, imageStrides, colStrides, w),
        image: (th.inFirst * W + tw.inFirst) * C,
        cols: (th.first * Wo + tw.first) * cols + (ki * g.kw + kj) * C,
      });
    }
  }
  return plans;
}

/** Sizes of one image and of its patches, in elements. */
function perImage(inShape: Shape, colsSize: number): [number, number] {
  const n = inShape[0]!;
  return [n === 0 ? 0 : sizeOf(inShape) / n, n === 0 ? 0 : colsSize / n];
}

/** im2col: copies each image's taps into `cols` (zero-filled, so padding needs no writes). */
export function im2col(
  image: TypedArray,
  cols: TypedArray,
  inShape: Shape,
  p: ConvPatchesParams,
): void {
  const w = wordsPer(image);
  const plans = planTaps(inShape, p, w, false);
  const [img, col] = perImage(inShape, cols.length);
  // Image by image, so the patches being written stay in cache across taps.
  withWords(image, cols, (src, dst) => {
    for (let n = 0; n < inShape[0]!; n++)
      for (const t of plans)
        runCopy(t.plan, src, (n * img + t.image) * w, dst, (n * col + t.cols) * w);
  });
}

/** col2im: adds each image's taps from `cols` into `image` (zero-filled). */
export function col2im(
  cols: TypedArray,
  image: TypedArray,
  inShape: Shape,
  p: ConvPatchesParams,
): void {
  const plans = planTaps(inShape, p, 1, true);
  const [img, col] = perImage(inShape, cols.length);
  for (let n = 0; n < inShape[0]!; n++)
    for (const t of plans) addStrided(t.plan, cols, n * col + t.cols, image, n * img + t.image);
}

/** A block of `m` rows of `n` contiguous elements, rows `fromRow`/`toRow` elements apart. */
export type RowBlock = (
  from: number,
  to: number,
  m: number,
  n: number,
  fromRow: number,
  toRow: number,
) => void;

/**
 * im2col (`fromCols` false: image to patches) or col2im's additions (`fromCols` true) as
 * blocks of contiguous rows: a walk that visits them image by image, in the order the
 * loops above run them (col2im adds in that order), with offsets in elements. Undefined
 * when some tap does not move contiguous rows (windows one element wide, one channel).
 */
export function tapBlocks(
  inShape: Shape,
  p: ConvPatchesParams,
  fromCols: boolean,
  colsSize: number,
): ((visit: RowBlock) => void) | undefined {
  const plans = planTaps(inShape, p, 1, fromCols);
  if (plans.some(({ plan }) => plan.srcCol !== 1 || plan.dstCol !== 1)) return undefined;
  const [img, col] = perImage(inShape, colsSize);
  return (visit) => {
    for (let n = 0; n < inShape[0]!; n++) {
      for (const { plan, image, cols } of plans) {
        const [i, c] = [n * img + image, n * col + cols];
        walkOuter(plan, fromCols ? c : i, fromCols ? i : c, (f, t) =>
          visit(f, t, plan.m, plan.n, plan.srcRow, plan.dstRow),
        );
      }
    }
  };
}
