import { ConcreteArray } from '../core/array';
import { allocate, type DType, type TypedArray } from '../dtype';
import { fmtShape, ShapeError, ValueError } from '../errors';
import type { ConvPatchesParams } from '../primitives';
import { type Shape, sizeOf, stridesOf } from '../shape';
import type { Backend, Kernel, KernelPrimitive } from './backend';
import { binaryLoops, unaryLoops } from './cpu-elementwise';
import { matmulInto } from './cpu-matmul';
import { stridedCopy } from './strided';

const make = (buffer: TypedArray, shape: Shape, dtype: DType) =>
  new ConcreteArray(buffer, shape, dtype);

function unary(
  loop: (x: TypedArray, o: TypedArray) => void,
  boolOut = false,
): (inputs: ConcreteArray[]) => ConcreteArray[] {
  return ([x]) => {
    const dtype = boolOut ? 'bool' : x!.dtype;
    const out = allocate(dtype, x!.size);
    loop(x!.buffer, out);
    return [make(out, x!.shape, dtype)];
  };
}

function binary(
  loop: (a: TypedArray, b: TypedArray, o: TypedArray) => void,
  boolOut = false,
): (inputs: ConcreteArray[]) => ConcreteArray[] {
  return ([a, b]) => {
    const dtype = boolOut ? 'bool' : a!.dtype;
    const out = allocate(dtype, a!.size);
    loop(a!.buffer, b!.buffer, out);
    return [make(out, a!.shape, dtype)];
  };
}

/** Permutes axes by copying (arrays are always contiguous). */
export function transposeBuffer(x: ConcreteArray, perm: readonly number[]): ConcreteArray {
  const strides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  const out = allocate(x.dtype, x.size);
  stridedCopy(
    x.buffer,
    out,
    shape,
    perm.map((p) => strides[p]!),
    0,
  );
  return make(out, shape, x.dtype);
}

/** Reduces over `axes` with an odometer over the input; the output index follows. */
function reduce(
  x: ConcreteArray,
  axes: readonly number[],
  init: number,
  op: 'sum' | 'max',
): ConcreteArray {
  const keep = x.shape.map((_, i) => !axes.includes(i));
  const outShape = x.shape.filter((_, i) => keep[i]);
  const out = allocate(x.dtype, sizeOf(outShape)).fill(init);
  const nd = x.ndim;
  if (x.size === 0) return make(out, outShape, x.dtype);
  const contiguous = axes.length > 0 && axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
  if (contiguous) {
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    reduceBlock(
      x.buffer,
      out,
      sizeOf(x.shape.slice(0, first)),
      sizeOf(x.shape.slice(first, last + 1)),
      sizeOf(x.shape.slice(last + 1)),
      op,
      x.dtype === 'float32',
    );
    return make(out, outShape, x.dtype);
  }
  const outStridesFull = new Array<number>(nd).fill(0);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) {
    if (keep[i]) {
      outStridesFull[i] = s;
      s *= x.shape[i]!;
    }
  }
  const src = x.buffer;
  if (nd === 0) {
    out[0] = op === 'sum' ? init + src[0]! : src[0]!;
    return make(out, outShape, x.dtype);
  }
  const inner = x.shape[nd - 1]!;
  const innerStride = outStridesFull[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let obase = 0;
  // Sums accumulate in float64 scratch so float32 reductions lose less precision.
  const acc = op === 'sum' && x.dtype === 'float32' ? new Float64Array(out.length) : out;
  for (let i = 0; i < x.size; i += inner) {
    if (op === 'sum') {
      if (innerStride === 0) {
        let t = 0;
        for (let j = 0; j < inner; j++) t += src[i + j]!;
        acc[obase] = acc[obase]! + t;
      } else for (let j = 0; j < inner; j++) acc[obase + j] = acc[obase + j]! + src[i + j]!;
    } else {
      for (let j = 0; j < inner; j++) {
        const o = obase + j * innerStride;
        const v = src[i + j]!;
        const cur = out[o]!;
        if (v > cur || Number.isNaN(v)) out[o] = v;
        else if (Number.isNaN(cur)) out[o] = cur;
      }
    }
    for (let ax = nd - 2; ax >= 0; ax--) {
      idx[ax]!++;
      obase += outStridesFull[ax]!;
      if (idx[ax]! < x.shape[ax]!) break;
      obase -= outStridesFull[ax]! * x.shape[ax]!;
      idx[ax] = 0;
    }
  }
  if (acc !== out) out.set(acc);
  return make(out, outShape, x.dtype);
}

/**
 * Reduces `src` viewed as `[outer, r, inner]` over its middle axis: the common case
 * (trailing axes, leading axes, one pooling window axis). Rows of `inner` elements are
 * combined whole so the inner loop is contiguous.
 */
function reduceBlock(
  src: TypedArray,
  out: TypedArray,
  outer: number,
  r: number,
  inner: number,
  op: 'sum' | 'max',
  widen: boolean,
): void {
  if (op === 'sum') {
    const acc = widen ? new Float64Array(inner) : out;
    for (let o = 0; o < outer; o++) {
      const base = o * r * inner;
      if (widen) acc.fill(0);
      const a = widen ? acc : out;
      const aOff = widen ? 0 : o * inner;
      if (inner === 1) {
        let t = 0;
        for (let k = 0; k < r; k++) t += src[base + k]!;
        a[aOff] = a[aOff]! + t;
      } else {
        for (let k = 0; k < r; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) a[aOff + j] = a[aOff + j]! + src[row + j]!;
        }
      }
      if (widen) for (let j = 0; j < inner; j++) out[o * inner + j] = acc[j]!;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = o * r * inner;
    const oOff = o * inner;
    for (let k = 0; k < r; k++) {
      const row = base + k * inner;
      for (let j = 0; j < inner; j++) {
        const v = src[row + j]!;
        // NaN wins: once stored, no comparison with it is true, so it stays.
        if (v > out[oOff + j]! || Number.isNaN(v)) out[oOff + j] = v;
      }
    }
  }
}

const words = (a: TypedArray): Int32Array | Uint8Array =>
  a instanceof Uint8Array ? a : new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);

/**
 * `out = pred ? t : f` on the bit patterns, without a branch: predicates of real data
 * (ReLU masks) are close to random, and a mispredicted branch per element costs more than
 * the whole select. Bitwise blending is exact for every value, NaN and infinities included.
 */
function selectBits(pred: Uint8Array, t: TypedArray, f: TypedArray, out: TypedArray): void {
  const tw = words(t);
  const fw = words(f);
  const ow = words(out);
  const per = ow.length / pred.length; // words per element: 1, or 2 for float64
  if (per === 1) {
    for (let i = 0; i < ow.length; i++) {
      const m = -pred[i]!;
      ow[i] = (tw[i]! & m) | (fw[i]! & ~m);
    }
  } else {
    for (let i = 0; i < pred.length; i++) {
      const m = -pred[i]!;
      const j = 2 * i;
      ow[j] = (tw[j]! & m) | (fw[j]! & ~m);
      ow[j + 1] = (tw[j + 1]! & m) | (fw[j + 1]! & ~m);
    }
  }
}

/** Outer × axis × inner decomposition used by the per-axis kernels. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

function castBuffer(x: ConcreteArray, dtype: DType): ConcreteArray {
  if (dtype === x.dtype) return x;
  const out = allocate(dtype, x.size);
  const src = x.buffer;
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32')
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      out[i] = Number.isNaN(v) ? 0 : Math.trunc(v);
    }
  else out.set(src);
  return make(out, x.shape, dtype);
}

function checkIndex(op: string, v: number, size: number): number {
  if (v < 0 || v >= size)
    throw new ValueError(`${op}: index ${v} is out of range for an axis of size ${size}`);
  return v;
}

/** A batched row-major product kernel: `out[b] = a[b] @ b[b]`, `out` zero-filled. */
export type MatmulKernel = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
) => void;

/**
 * `dot_general` as one batched matrix product: operands are transposed (copied) to
 * `[batch, m, k]` and `[batch, k, n]` only when their axes are not already in that order.
 * Backends differ only in the `matmul` kernel they pass.
 */
export function dotGeneral(
  lhs: ConcreteArray,
  rhs: ConcreteArray,
  p: Parameters<Kernel<'dot_general'>>[1],
  matmul: MatmulKernel = matmulInto,
): ConcreteArray {
  const [lc, rc] = p.contract;
  const [lb, rb] = p.batch;
  const lf = lhs.shape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
  const rf = rhs.shape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  const batchShape = lb.map((i) => lhs.shape[i]!);
  const m = sizeOf(lf.map((i) => lhs.shape[i]!));
  const k = sizeOf(lc.map((i) => lhs.shape[i]!));
  const n = sizeOf(rf.map((i) => rhs.shape[i]!));
  const isIdentity = (perm: number[]) => perm.every((v, i) => v === i);
  const lperm = [...lb, ...lf, ...lc];
  const rperm = [...rb, ...rc, ...rf];
  const a = isIdentity(lperm) ? lhs : transposeBuffer(lhs, lperm);
  const b = isIdentity(rperm) ? rhs : transposeBuffer(rhs, rperm);
  const outShape = [
    ...batchShape,
    ...lf.map((i) => lhs.shape[i]!),
    ...rf.map((i) => rhs.shape[i]!),
  ];
  const out = allocate(lhs.dtype, sizeOf(outShape));
  matmul(a.buffer, b.buffer, out, sizeOf(batchShape), m, k, n);
  return make(out, outShape, lhs.dtype);
}

/** Output spatial size of a window op along one axis. */
export function windowOutSize(
  size: number,
  window: number,
  stride: number,
  pad: readonly [number, number],
  lhsDil: number,
  rhsDil: number,
): number {
  const inSize = size === 0 ? 0 : (size - 1) * lhsDil + 1 + pad[0] + pad[1];
  const span = (window - 1) * rhsDil + 1;
  return inSize < span ? 0 : Math.floor((inSize - span) / stride) + 1;
}

/**
 * im2col over 1 or 2 spatial axes (1-D runs as 2-D with height 1). `scatter` runs the
 * same index walk backwards (col2im), accumulating into the input.
 */
function patches(
  src: TypedArray,
  dst: TypedArray,
  inShape: Shape,
  p: ConvPatchesParams,
  scatter: boolean,
): void {
  const two = inShape.length === 4;
  const [N, H, W, C] = two ? inShape : [inShape[0]!, 1, inShape[1]!, inShape[2]!];
  const win = two ? p.window : [1, p.window[0]!];
  const str = two ? p.strides : [1, p.strides[0]!];
  const pad = two ? p.padding : [[0, 0] as const, p.padding[0]!];
  const ld = two ? p.lhsDilation : [1, p.lhsDilation[0]!];
  const rd = two ? p.rhsDilation : [1, p.rhsDilation[0]!];
  const [kh, kw] = [win[0]!, win[1]!];
  const Ho = windowOutSize(H!, kh, str[0]!, pad[0]!, ld[0]!, rd[0]!);
  const Wo = windowOutSize(W!, kw, str[1]!, pad[1]!, ld[1]!, rd[1]!);
  const cols = kh * kw * C!;
  const hSpan = (H! - 1) * ld[0]! + 1;
  const wSpan = (W! - 1) * ld[1]! + 1;
  for (let n = 0; n < N!; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const rowBase = ((n * Ho + oh) * Wo + ow) * cols;
        for (let ki = 0; ki < kh; ki++) {
          const y = oh * str[0]! + ki * rd[0]! - pad[0]![0];
          if (y < 0 || y >= hSpan || y % ld[0]! !== 0) continue;
          const iy = y / ld[0]!;
          for (let kj = 0; kj < kw; kj++) {
            const x = ow * str[1]! + kj * rd[1]! - pad[1]![0];
            if (x < 0 || x >= wSpan || x % ld[1]! !== 0) continue;
            const ix = x / ld[1]!;
            const s = ((n * H! + iy) * W! + ix) * C!;
            const d = rowBase + (ki * kw + kj) * C!;
            if (scatter) for (let c = 0; c < C!; c++) src[s + c] = src[s + c]! + dst[d + c]!;
            else for (let c = 0; c < C!; c++) dst[d + c] = src[s + c]!;
          }
        }
      }
    }
  }
}

export function patchesShape(op: string, inShape: Shape, p: ConvPatchesParams): number[] {
  const nsp = inShape.length - 2;
  if (nsp < 1 || nsp > 2)
    throw new ShapeError(
      `${op}: only 1-D and 2-D convolutions are supported, got input ${fmtShape(inShape)}`,
    );
  const out = [inShape[0]!];
  for (let i = 0; i < nsp; i++) {
    out.push(
      windowOutSize(
        inShape[i + 1]!,
        p.window[i]!,
        p.strides[i]!,
        p.padding[i]!,
        p.lhsDilation[i]!,
        p.rhsDilation[i]!,
      ),
    );
  }
  out.push(sizeOf(p.window) * inShape[nsp + 1]!);
  return out;
}

const kernels: { [P in KernelPrimitive]: Kernel<P> } = {
  neg: unary(unaryLoops.neg),
  exp: unary(unaryLoops.exp),
  log: unary(unaryLoops.log),
  expm1: unary(unaryLoops.expm1),
  log1p: unary(unaryLoops.log1p),
  sin: unary(unaryLoops.sin),
  cos: unary(unaryLoops.cos),
  tan: unary(unaryLoops.tan),
  tanh: unary(unaryLoops.tanh),
  logistic: unary(unaryLoops.logistic),
  erf: unary(unaryLoops.erf),
  sqrt: unary(unaryLoops.sqrt),
  rsqrt: unary(unaryLoops.rsqrt),
  abs: unary(unaryLoops.abs),
  sign: unary(unaryLoops.sign),
  floor: unary(unaryLoops.floor),
  ceil: unary(unaryLoops.ceil),
  round: unary(unaryLoops.round),
  not: unary(unaryLoops.not),
  is_finite: unary(unaryLoops.is_finite, true),
  add: binary(binaryLoops.add),
  sub: binary(binaryLoops.sub),
  mul: binary(binaryLoops.mul),
  div: binary(binaryLoops.div),
  pow: binary(binaryLoops.pow),
  max: binary(binaryLoops.max),
  min: binary(binaryLoops.min),
  and: binary(binaryLoops.and),
  or: binary(binaryLoops.or),
  eq: binary(binaryLoops.eq, true),
  ne: binary(binaryLoops.ne, true),
  lt: binary(binaryLoops.lt, true),
  le: binary(binaryLoops.le, true),
  gt: binary(binaryLoops.gt, true),
  ge: binary(binaryLoops.ge, true),
  select: ([p, t, f]) => {
    const out = allocate(t!.dtype, t!.size);
    selectBits(p!.buffer as Uint8Array, t!.buffer, f!.buffer, out);
    return [make(out, t!.shape, t!.dtype)];
  },
  cast: ([x], { dtype }) => [castBuffer(x!, dtype)],
  stop_gradient: ([x]) => [x!],
  reduce_sum: ([x], { axes }) => [reduce(x!, axes, 0, 'sum')],
  reduce_max: ([x], { axes }) => {
    const init =
      x!.dtype === 'int32' ? -2147483648 : x!.dtype === 'bool' ? 0 : Number.NEGATIVE_INFINITY;
    return [reduce(x!, axes, init, 'max')];
  },
  argmax: ([x], { axis }) => {
    const [outer, n, inner] = around(x!.shape, axis);
    if (n === 0) throw new ValueError('argmax: cannot take the argmax of an empty axis');
    const out = new Int32Array(outer * inner);
    const b = x!.buffer;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let best = 0;
        let bv = b[o * n * inner + i]!;
        for (let j = 1; j < n && !Number.isNaN(bv); j++) {
          const v = b[(o * n + j) * inner + i]!;
          if (v > bv || Number.isNaN(v)) {
            bv = v;
            best = j;
          }
        }
        out[o * inner + i] = best;
      }
    }
    return [
      make(
        out,
        x!.shape.filter((_, i) => i !== axis),
        'int32',
      ),
    ];
  },
  cumsum: ([x], { axis, reverse }) => {
    const [outer, n, inner] = around(x!.shape, axis);
    const out = allocate(x!.dtype, x!.size);
    const b = x!.buffer;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let t = 0; t < n; t++) {
          const j = reverse ? n - 1 - t : t;
          const at = (o * n + j) * inner + i;
          acc += b[at]!;
          out[at] = acc;
        }
      }
    }
    return [make(out, x!.shape, x!.dtype)];
  },
  sort: ([x], { axis }) => {
    const [outer, n, inner] = around(x!.shape, axis);
    const vals = allocate(x!.dtype, x!.size);
    const idxs = new Int32Array(x!.size);
    const b = x!.buffer;
    const order = new Array<number>(n);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const at = (j: number) => (o * n + j) * inner + i;
        for (let j = 0; j < n; j++) order[j] = j;
        // Stable; NaN sorts last as in NumPy.
        order.sort((p, q) => {
          const u = b[at(p)]!,
            v = b[at(q)]!;
          if (Number.isNaN(u)) return Number.isNaN(v) ? p - q : 1;
          if (Number.isNaN(v)) return -1;
          return u < v ? -1 : u > v ? 1 : p - q;
        });
        for (let j = 0; j < n; j++) {
          vals[at(j)] = b[at(order[j]!)]!;
          idxs[at(j)] = order[j]!;
        }
      }
    }
    return [make(vals, x!.shape, x!.dtype), make(idxs, x!.shape, 'int32')];
  },
  broadcast_in_dim: ([x], { shape, dims }) => {
    const inStrides = stridesOf(x!.shape);
    const strides = new Array<number>(shape.length).fill(0);
    dims.forEach((d, i) => {
      strides[d] = x!.shape[i] === 1 && shape[d] !== 1 ? 0 : inStrides[i]!;
    });
    const out = allocate(x!.dtype, sizeOf(shape));
    // A single value (scalars, size-1 arrays) is a fill, not a strided walk.
    if (x!.size === 1) out.fill(x!.buffer[0]!);
    else stridedCopy(x!.buffer, out, shape, strides, 0);
    return [make(out, shape, x!.dtype)];
  },
  reshape: ([x], { shape }) => [make(x!.buffer, shape, x!.dtype)],
  transpose: ([x], { perm }) => [transposeBuffer(x!, perm)],
  slice: ([x], { start, limit, strides }) => {
    const inStrides = stridesOf(x!.shape);
    const shape = start.map((s, i) => Math.max(0, Math.ceil((limit[i]! - s) / strides[i]!)));
    const offset = start.reduce((acc, s, i) => acc + s * inStrides[i]!, 0);
    const out = allocate(x!.dtype, sizeOf(shape));
    if (out.length > 0)
      stridedCopy(
        x!.buffer,
        out,
        shape,
        inStrides.map((st, i) => st * strides[i]!),
        offset,
      );
    return [make(out, shape, x!.dtype)];
  },
  pad: ([x], { lo, hi, interior, value }) => {
    const shape = x!.shape.map((d, i) => lo[i]! + hi[i]! + d + Math.max(0, d - 1) * interior[i]!);
    const out = allocate(x!.dtype, sizeOf(shape)).fill(value);
    if (x!.size === 0) return [make(out, shape, x!.dtype)];
    // Write the input through a strided view of the output: the same odometer, reversed.
    const outStrides = stridesOf(shape);
    const offset = lo.reduce((acc, l, i) => acc + l * outStrides[i]!, 0);
    const steps = outStrides.map((s, i) => s * (interior[i]! + 1));
    const nd = x!.ndim;
    const idx = new Array<number>(nd).fill(0);
    const src = x!.buffer;
    let base = offset;
    const inner = nd === 0 ? 1 : x!.shape[nd - 1]!;
    const innerStep = nd === 0 ? 0 : steps[nd - 1]!;
    for (let i = 0; i < x!.size; i += inner) {
      for (let j = 0; j < inner; j++) out[base + j * innerStep] = src[i + j]!;
      for (let ax = nd - 2; ax >= 0; ax--) {
        idx[ax]!++;
        base += steps[ax]!;
        if (idx[ax]! < x!.shape[ax]!) break;
        base -= steps[ax]! * x!.shape[ax]!;
        idx[ax] = 0;
      }
    }
    return [make(out, shape, x!.dtype)];
  },
  concatenate: (xs, { axis }) => {
    const first = xs[0]!;
    const shape = [...first.shape];
    shape[axis] = xs.reduce((a, x) => a + x.shape[axis]!, 0);
    const out = allocate(first.dtype, sizeOf(shape));
    const outer = sizeOf(shape.slice(0, axis));
    const rowOut = sizeOf(shape.slice(axis));
    let col = 0;
    for (const x of xs) {
      const row = sizeOf(x.shape.slice(axis));
      for (let o = 0; o < outer; o++)
        out.set(x.buffer.subarray(o * row, (o + 1) * row), o * rowOut + col);
      col += row;
    }
    return [make(out, shape, first.dtype)];
  },
  gather: ([x, idx], { axis }) => {
    const [outer, n, inner] = around(x!.shape, axis);
    const ib = idx!.buffer;
    const shape = [...x!.shape.slice(0, axis), ...idx!.shape, ...x!.shape.slice(axis + 1)];
    const out = allocate(x!.dtype, sizeOf(shape));
    const src = x!.buffer;
    const m = ib.length;
    for (let j = 0; j < m; j++) checkIndex('gather', ib[j]!, n);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const s = (o * n + ib[j]!) * inner;
        const d = (o * m + j) * inner;
        if (inner === 1) out[d] = src[s]!;
        else out.set(src.subarray(s, s + inner), d);
      }
    }
    return [make(out, shape, x!.dtype)];
  },
  scatter_add: ([upd, idx], { axis, size, shape }) => {
    const out = allocate(upd!.dtype, sizeOf(shape));
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const ib = idx!.buffer;
    const m = ib.length;
    const ub = upd!.buffer;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const d = (o * size + checkIndex('scatter_add', ib[j]!, size)) * inner;
        const s = (o * m + j) * inner;
        for (let t = 0; t < inner; t++) out[d + t] = out[d + t]! + ub[s + t]!;
      }
    }
    return [make(out, shape, upd!.dtype)];
  },
  dot_general: ([a, b], p) => [dotGeneral(a!, b!, p)],
  conv_patches: ([x], p) => {
    const shape = patchesShape('conv', x!.shape, p);
    const out = allocate(x!.dtype, sizeOf(shape));
    patches(x!.buffer, out, x!.shape, p, false);
    return [make(out, shape, x!.dtype)];
  },
  conv_patches_transpose: ([cols], p) => {
    const out = allocate(cols!.dtype, sizeOf(p.inputShape));
    patches(out, cols!.buffer, p.inputShape, p, true);
    return [make(out, p.inputShape, cols!.dtype)];
  },
};

/** The default backend: pure TypeScript, runs everywhere. */
export const cpuBackend: Backend = { name: 'cpu', kernels };
