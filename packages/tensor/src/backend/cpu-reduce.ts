import { ConcreteArray } from '../core/array';
import { allocate } from '../core/dtype';
import { type Shape, sizeOf } from '../core/shape';

/**
 * `reduce_sum` / `reduce_max` over any set of axes.
 *
 * The input is viewed as alternating groups of kept (K) and reduced (R) axes, size-1 axes
 * dropped and neighbours of one kind merged, padded to the form K R K … R K. The innermost
 * K R K triple is a block reduced with contiguous loops; an odometer over the outer groups
 * says where each block's results go. Blocks are consecutive in the input, so every output
 * element still receives its inputs in row-major order: results are bitwise those of a
 * naive loop, with no transposed copy.
 *
 * Accumulation happens in float64: float32 sums lose less precision, int32 sums (exact
 * below 2^53) wrap once at the end just as stepwise wrapping would, and the loops store
 * to a single array type, which keeps them fast in V8 whatever the input dtype.
 */

type Op = 'sum' | 'max';

/**
 * What the loops read: float32 or float64 only (int32 and bool inputs are widened first).
 * Both load as doubles, so V8 keeps the loops fast when a program reduces both; with all
 * four array types in play the same loops ran 2–3× slower.
 */
type Source = Float32Array | Float64Array;

/** The larger of two values; NaN wins, and ties keep the earlier value (as `>` does). */
const max = (t: number, v: number): number => (v > t || Number.isNaN(v) ? v : t);

/** Sizes of the alternating K R K … R K groups (reduced groups at odd positions). */
function groups(shape: Shape, axes: readonly number[]): number[] {
  const sizes: number[] = [1];
  let reduced = false; // the kind of the last group in `sizes`
  shape.forEach((d, i) => {
    if (d === 1) return;
    const r = axes.includes(i);
    if (r !== reduced) {
      sizes.push(1);
      reduced = r;
    }
    sizes[sizes.length - 1] = sizes[sizes.length - 1]! * d;
  });
  if (reduced) sizes.push(1);
  if (sizes.length === 1) sizes.push(1, 1); // nothing reduced: K R1 K1
  return sizes;
}

/**
 * Folds `r` consecutive rows of `inner` elements into `acc[a, a + inner)`. Four rows per
 * pass cut the loads and stores of `acc` by four; `((acc + x0) + x1) + …` keeps the
 * order of a row-by-row loop, so sums stay bitwise the same.
 */
function foldRows(
  src: Source,
  s: number,
  acc: Float64Array,
  a: number,
  r: number,
  n: number,
  op: Op,
): void {
  let k = 0;
  for (; k + 4 <= r; k += 4, s += 4 * n) {
    const s1 = s + n;
    const s2 = s1 + n;
    const s3 = s2 + n;
    if (op === 'sum')
      for (let j = 0; j < n; j++)
        acc[a + j] = acc[a + j]! + src[s + j]! + src[s1 + j]! + src[s2 + j]! + src[s3 + j]!;
    else
      for (let j = 0; j < n; j++)
        acc[a + j] = max(
          max(max(max(acc[a + j]!, src[s + j]!), src[s1 + j]!), src[s2 + j]!),
          src[s3 + j]!,
        );
  }
  for (; k < r; k++, s += n) {
    if (op === 'sum') for (let j = 0; j < n; j++) acc[a + j] = acc[a + j]! + src[s + j]!;
    else for (let j = 0; j < n; j++) acc[a + j] = max(acc[a + j]!, src[s + j]!);
  }
}

/**
 * Reduces `outer` consecutive rows of `r` elements each to one value. One running value
 * per row keeps a naive loop's order; four rows at once give the CPU four independent
 * dependency chains instead of one.
 */
function foldEach(
  src: Source,
  s: number,
  acc: Float64Array,
  a: number,
  outer: number,
  r: number,
  op: Op,
): void {
  let o = 0;
  for (; o + 4 <= outer; o += 4, s += 4 * r) {
    let t0 = acc[a + o]!;
    let t1 = acc[a + o + 1]!;
    let t2 = acc[a + o + 2]!;
    let t3 = acc[a + o + 3]!;
    const s1 = s + r;
    const s2 = s1 + r;
    const s3 = s2 + r;
    if (op === 'sum')
      for (let k = 0; k < r; k++) {
        t0 += src[s + k]!;
        t1 += src[s1 + k]!;
        t2 += src[s2 + k]!;
        t3 += src[s3 + k]!;
      }
    else
      for (let k = 0; k < r; k++) {
        t0 = max(t0, src[s + k]!);
        t1 = max(t1, src[s1 + k]!);
        t2 = max(t2, src[s2 + k]!);
        t3 = max(t3, src[s3 + k]!);
      }
    acc[a + o] = t0;
    acc[a + o + 1] = t1;
    acc[a + o + 2] = t2;
    acc[a + o + 3] = t3;
  }
  for (; o < outer; o++, s += r) {
    let t = acc[a + o]!;
    if (op === 'sum') for (let k = 0; k < r; k++) t += src[s + k]!;
    else for (let k = 0; k < r; k++) t = max(t, src[s + k]!);
    acc[a + o] = t;
  }
}

/** Combines `src` viewed as `[outer, r, inner]` over its middle axis into `acc[outer, inner]`. */
function reduceBlock(
  src: Source,
  s: number,
  acc: Float64Array,
  a: number,
  outer: number,
  r: number,
  inner: number,
  op: Op,
): void {
  if (inner === 1) foldEach(src, s, acc, a, outer, r, op);
  else
    for (let o = 0; o < outer; o++)
      foldRows(src, s + o * r * inner, acc, a + o * inner, r, inner, op);
}

/** Walks the outer groups in input order, reducing one innermost K R K block at each. */
function reduceInto(src: Source, sizes: readonly number[], acc: Float64Array, op: Op): void {
  const nb = sizes.length - 3; // outer groups
  const [outer, r, inner] = sizes.slice(nb) as [number, number, number];
  const block = outer * r * inner;
  // Output strides of the outer groups: kept groups are row-major in the output.
  const outStrides = new Array<number>(nb).fill(0);
  for (let i = nb - 2, st = outer * inner; i >= 0; i -= 2) {
    outStrides[i] = st;
    st *= sizes[i]!;
  }
  const idx = new Array<number>(nb).fill(0);
  const count = sizeOf(sizes.slice(0, nb));
  for (let t = 0, s = 0, a = 0; t < count; t++, s += block) {
    reduceBlock(src, s, acc, a, outer, r, inner, op);
    for (let ax = nb - 1; ax >= 0; ax--) {
      a += outStrides[ax]!;
      if (++idx[ax]! < sizes[ax]!) break;
      a -= outStrides[ax]! * sizes[ax]!;
      idx[ax] = 0;
    }
  }
}

/** Reduces `x` over `axes` (sorted, unique), starting from `init`. */
export function reduce(
  x: ConcreteArray,
  axes: readonly number[],
  init: number,
  op: Op,
): ConcreteArray {
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const out = allocate(x.dtype, sizeOf(outShape));
  const acc = out instanceof Float64Array ? out : new Float64Array(out.length);
  if (init !== 0) acc.fill(init);
  const b = x.buffer;
  const src = b instanceof Float32Array || b instanceof Float64Array ? b : Float64Array.from(b);
  if (x.size > 0) reduceInto(src, groups(x.shape, axes), acc, op);
  if (acc !== out) out.set(acc); // rounds float32 once; wraps int32 and bool sums
  return new ConcreteArray(out, outShape, x.dtype);
}
