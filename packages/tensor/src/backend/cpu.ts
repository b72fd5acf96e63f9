import { ConcreteArray } from '../core/array';
import type { Backend, Kernel, KernelPrimitive } from '../core/backend';
import { allocate, type DType, type TypedArray } from '../core/dtype';
import { ValueError } from '../core/errors';
import { sampleRandom } from '../core/random-bits';
import { type Shape, sizeOf, stridesOf } from '../core/shape';
import { addLoop } from './accumulate';
import { compileProgram } from './compiler/program';
import { binaryLoops, unaryLoops } from './cpu-elementwise';
import { matmulInto } from './cpu-matmul';
import { col2im, im2col } from './cpu-patches';
import { reduce } from './cpu-reduce';
import { dotLayout } from './dot-layout';
import { copyStrided, gatherRows, stridedCopy, withWords } from './strided';

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

/**
 * A batched row-major product kernel: `out[b] = op(a[b]) @ op(b[b])`, `out` zero-filled,
 * where `transA` means `a` holds each `[m, k]` matrix transposed (as `[k, m]`), and
 * `transB` that `b` holds each `[k, n]` one as `[n, k]`.
 */
export type MatmulKernel = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
) => void;

/** Copies `batch` row-major `[rows, cols]` matrices into their transposes. */
function transposeMatrices(x: TypedArray, batch: number, rows: number, cols: number): TypedArray {
  const out = new (x.constructor as new (n: number) => TypedArray)(batch * rows * cols);
  stridedCopy(x, out, [batch, cols, rows], [rows * cols, 1, cols], 0);
  return out;
}

/** The pure-TypeScript kernel: transposed operands are copied, then one blocked loop. */
export const tsMatmul: MatmulKernel = (a, b, out, batch, m, k, n, transA, transB) =>
  matmulInto(
    transA ? transposeMatrices(a, batch, k, m) : a,
    transB ? transposeMatrices(b, batch, n, k) : b,
    out,
    batch,
    m,
    k,
    n,
  );

/**
 * `dot_general` as one batched matrix product (`dotLayout`): operands are transposed
 * first only where the kernel cannot read them as they are. Backends differ only in the
 * `matmul` kernel they pass.
 */
export function dotGeneral(
  lhs: ConcreteArray,
  rhs: ConcreteArray,
  p: Parameters<Kernel<'dot_general'>>[1],
  matmul: MatmulKernel = tsMatmul,
): ConcreteArray {
  const d = dotLayout(lhs.shape, rhs.shape, p);
  const a = d.lperm ? transposeBuffer(lhs, d.lperm) : lhs;
  const b = d.rperm ? transposeBuffer(rhs, d.rperm) : rhs;
  const out = allocate(lhs.dtype, sizeOf(d.outShape));
  matmul(a.buffer, b.buffer, out, d.batch, d.m, d.k, d.n, d.transA, d.transB);
  return make(out, d.outShape, lhs.dtype);
}

/** Whether the first element's bits are all zero: +0, integer 0 or false. */
function isZeroBits(a: TypedArray): boolean {
  const wd = words(a);
  return wd[0] === 0 && (!(a instanceof Float64Array) || wd[1] === 0);
}

/**
 * `pad`: input index `i` along an axis lands at `lo + i·(interior + 1)`. Negative `lo` or
 * `hi` crop, so only the indices that land inside the output are copied; the copy is one
 * strided copy (rows of the input into a zero-filled or `value`-filled output).
 */
function padBuffer(x: ConcreteArray, p: Parameters<Kernel<'pad'>>[1]): ConcreteArray {
  const { lo, hi, interior, value } = p;
  const shape = x.shape.map((d, i) => lo[i]! + hi[i]! + d + Math.max(0, d - 1) * interior[i]!);
  const out = allocate(x.dtype, sizeOf(shape));
  // A fresh array is already +0; only other values need a fill.
  if (!Object.is(value, 0)) out.fill(value);
  const inStrides = stridesOf(x.shape);
  const outStrides = stridesOf(shape);
  const count: number[] = [];
  let srcOff = 0;
  let dstOff = 0;
  x.shape.forEach((d, i) => {
    const step = interior[i]! + 1;
    const first = lo[i]! >= 0 ? 0 : Math.ceil(-lo[i]! / step);
    const last = Math.min(d - 1, Math.floor((shape[i]! - 1 - lo[i]!) / step));
    count.push(Math.max(0, last - first + 1));
    srcOff += first * inStrides[i]!;
    dstOff += (lo[i]! + first * step) * outStrides[i]!;
  });
  const steps = outStrides.map((s, i) => s * (interior[i]! + 1));
  if (sizeOf(count) > 0) copyStrided(x.buffer, srcOff, inStrides, out, dstOff, steps, count);
  return make(out, shape, x.dtype);
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
    // Broadcasting a zero (the zeros autodiff makes) into a fresh, zeroed array is a no-op.
    if (!(x!.size === 1 && isZeroBits(x!.buffer)))
      copyStrided(x!.buffer, 0, strides, out, 0, stridesOf(shape), shape);
    return [make(out, shape, x!.dtype)];
  },
  reshape: ([x], { shape }) => [make(x!.buffer, shape, x!.dtype)],
  transpose: ([x], { perm }) => [transposeBuffer(x!, perm)],
  slice: ([x], { start, limit, strides }) => {
    const inStrides = stridesOf(x!.shape);
    const shape = start.map((s, i) => Math.max(0, Math.ceil((limit[i]! - s) / strides[i]!)));
    const offset = start.reduce((acc, s, i) => acc + s * inStrides[i]!, 0);
    const out = allocate(x!.dtype, sizeOf(shape));
    const steps = inStrides.map((st, i) => st * strides[i]!);
    if (out.length > 0) copyStrided(x!.buffer, offset, steps, out, 0, stridesOf(shape), shape);
    return [make(out, shape, x!.dtype)];
  },
  pad: ([x], p) => [padBuffer(x!, p)],
  concatenate: (xs, { axis }) => {
    const first = xs[0]!;
    const shape = [...first.shape];
    shape[axis] = xs.reduce((a, x) => a + x.shape[axis]!, 0);
    const out = allocate(first.dtype, sizeOf(shape));
    const outStrides = stridesOf(shape);
    let at = 0;
    for (const x of xs) {
      copyStrided(
        x.buffer,
        0,
        stridesOf(x.shape),
        out,
        at * outStrides[axis]!,
        outStrides,
        x.shape,
      );
      at += x.shape[axis]!;
    }
    return [make(out, shape, first.dtype)];
  },
  gather: ([x, idx], { axis }) => {
    const [outer, n, inner] = around(x!.shape, axis);
    const ib = idx!.buffer;
    const shape = [...x!.shape.slice(0, axis), ...idx!.shape, ...x!.shape.slice(axis + 1)];
    const out = allocate(x!.dtype, sizeOf(shape));
    const m = ib.length;
    for (let j = 0; j < m; j++) checkIndex('gather', ib[j]!, n);
    // Rows move as words, so one loop serves every dtype.
    withWords(x!.buffer, out, (src, dst, w) =>
      gatherRows(
        src,
        dst,
        ib instanceof Int32Array ? ib : Int32Array.from(ib),
        outer,
        n,
        inner * w,
      ),
    );
    return [make(out, shape, x!.dtype)];
  },
  scatter_add: ([upd, idx], { axis, size, shape }) => {
    const out = allocate(upd!.dtype, sizeOf(shape));
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const ib = idx!.buffer;
    const m = ib.length;
    for (let j = 0; j < m; j++) checkIndex('scatter_add', ib[j]!, size);
    const add = addLoop(out);
    const ub = upd!.buffer;
    for (let o = 0, s = 0; o < outer; o++)
      for (let j = 0; j < m; j++, s += inner)
        add(ub, s, 1, out, (o * size + ib[j]!) * inner, 1, inner);
    return [make(out, shape, upd!.dtype)];
  },
  dot_general: ([a, b], p) => [dotGeneral(a!, b!, p)],
  conv_patches: ([x], p, [out]) => {
    const shape = out!.shape;
    const buf = allocate(x!.dtype, sizeOf(shape));
    im2col(x!.buffer, buf, x!.shape, p);
    return [make(buf, shape, x!.dtype)];
  },
  random_sample: ([key], p) => [
    make(sampleRandom(key!.buffer, p, sizeOf(p.shape)), p.shape, p.dtype),
  ],
  conv_patches_transpose: ([cols], p) => {
    const out = allocate(cols!.dtype, sizeOf(p.inputShape));
    col2im(cols!.buffer, out, p.inputShape, p);
    return [make(out, p.inputShape, cols!.dtype)];
  },
};

/** The default backend: pure TypeScript, runs everywhere. */
export const cpuBackend: Backend = {
  name: 'cpu',
  kernels,
  // jit programs: equations bound to their kernels once, no tracing on replay.
  compile: (jaxpr) => compileProgram(jaxpr, { kernels }),
};
