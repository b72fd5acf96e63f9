import { type Array, ConcreteArray } from '../../core/array';
import type { KernelPrimitive } from '../../core/backend';
import type { DType } from '../../core/dtype';
import { JuteError } from '../../core/errors';
import {
  type AbstractValue,
  BINARY_PRIMITIVES,
  type PrimitiveParams,
  UNARY_PRIMITIVES,
} from '../../core/primitives';
import { sampleRandom } from '../../core/random-bits';
import { type Shape, sizeOf, stridesOf } from '../../core/shape';
import { type ElementwisePrimitive, elementwiseKernel } from './elementwise';
import { GpuArray } from './gpu-array';
import type { GpuStorage } from './gpu-storage';
import { fillKernel, gatherKernel, scatterAddKernel, stridedCopyKernel } from './layout';
import { matmulGroups, matmulKernel } from './matmul';
import { col2imKernel, im2colKernel } from './patches';
import { argmaxKernel, cumsumKernel, reduceKernel, sortKernel } from './reduce';
import type { GpuRuntime } from './runtime';
import { float64Error } from './wgsl';

/** Device-side helpers the kernels and the program compiler share. */
export interface Device {
  readonly rt: GpuRuntime;
  /** The device buffer of an array: its own, or a cached upload of a host array. */
  storageOf(x: Array): GpuStorage;
  /** A new GPU array of `shape` and `dtype` (contents written by the next kernel). */
  fresh(shape: Shape, dtype: DType): GpuArray;
}

/** Makes the `Device` helpers for a runtime: host arrays are uploaded once and cached. */
export function makeDevice(rt: GpuRuntime): Device {
  const uploads = new WeakMap<Array, GpuStorage>();
  return {
    rt,
    storageOf(x) {
      if (x instanceof GpuArray) {
        if (x.runtime !== rt) {
          throw new JuteError(
            'webgpu: this array lives on another WebGPU device; read it with dataAsync() and make a new array',
          );
        }
        return x.storage;
      }
      if (x.dtype === 'float64') throw float64Error('webgpu upload');
      let s = uploads.get(x);
      if (s === undefined) {
        s = rt.upload((x as ConcreteArray).buffer, x.dtype);
        uploads.set(x, s);
      }
      return s;
    },
    fresh(shape, dtype) {
      return new GpuArray(rt.alloc(sizeOf(shape) * 4), shape, dtype, rt);
    },
  };
}

/** Runs one elementwise primitive as a kernel of one operation. */
function elementwise(dev: Device, prim: ElementwisePrimitive, params: unknown) {
  return (inputs: Array[], _p: unknown, outAvals: readonly { shape: Shape; dtype: DType }[]) => {
    const out = outAvals[0]!;
    if (prim === 'stop_gradient') return [inputs[0]!];
    const code = elementwiseKernel(
      {
        shape: out.shape,
        inputs: inputs.map((x) => ({ dtype: x.dtype })),
        ops: [
          {
            prim,
            params: (params ?? _p) as PrimitiveParams[ElementwisePrimitive],
            args: inputs.map((_, i) => i),
            dtype: out.dtype,
          },
        ],
        outputs: [inputs.length],
      },
      prim,
    );
    const y = dev.fresh(out.shape, out.dtype);
    dev.rt.dispatch(
      code,
      [...inputs.map((x) => dev.storageOf(x)), y.storage],
      dev.rt.groups1d(sizeOf(out.shape)),
    );
    return [y];
  };
}

/** `dst ← src` through strides (see `stridedCopyKernel`). */
export function copyInto(
  dev: Device,
  src: GpuStorage,
  dst: GpuStorage,
  count: Shape,
  srcOff: number,
  srcStrides: readonly number[],
  dstOff: number,
  dstStrides: readonly number[],
): void {
  const n = sizeOf(count);
  if (n === 0) return;
  dev.rt.dispatch(
    stridedCopyKernel(count, srcOff, srcStrides, dstOff, dstStrides),
    [src, dst],
    dev.rt.groups1d(n),
  );
}

/** Permutes axes by a copy. */
export function transposeGpu(dev: Device, x: Array, perm: readonly number[]): GpuArray {
  const strides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  const y = dev.fresh(shape, x.dtype);
  copyInto(
    dev,
    dev.storageOf(x),
    y.storage,
    shape,
    0,
    perm.map((p) => strides[p]!),
    0,
    stridesOf(shape),
  );
  return y;
}

const sameOrder = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** `dot_general` as one batched tiled matmul; operands in other layouts are transposed first. */
function dotGeneral(
  dev: Device,
  lhs: Array,
  rhs: Array,
  p: PrimitiveParams['dot_general'],
  out: { shape: Shape; dtype: DType },
): GpuArray {
  const [lc, rc] = p.contract;
  const [lb, rb] = p.batch;
  const lf = lhs.shape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
  const rf = rhs.shape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  const batch = sizeOf(lb.map((i) => lhs.shape[i]!));
  const m = sizeOf(lf.map((i) => lhs.shape[i]!));
  const k = sizeOf(lc.map((i) => lhs.shape[i]!));
  const n = sizeOf(rf.map((i) => rhs.shape[i]!));
  const id = (x: Array) => x.shape.map((_, i) => i);
  const lperm = [...lb, ...lf, ...lc];
  const rperm = [...rb, ...rc, ...rf];
  const direct = (x: Array, perm: readonly number[]) => sameOrder(perm, id(x));
  const transA = !direct(lhs, lperm) && direct(lhs, [...lb, ...lc, ...lf]);
  const transB = !direct(rhs, rperm) && direct(rhs, [...rb, ...rf, ...rc]);
  const a = transA || direct(lhs, lperm) ? lhs : transposeGpu(dev, lhs, lperm);
  const b = transB || direct(rhs, rperm) ? rhs : transposeGpu(dev, rhs, rperm);
  const y = dev.fresh(out.shape, out.dtype);
  if (sizeOf(out.shape) === 0) return y;
  if (k === 0) {
    dev.rt.dispatch(
      fillKernel(sizeOf(out.shape), 0, out.dtype),
      [y.storage],
      dev.rt.groups1d(sizeOf(out.shape)),
    );
    return y;
  }
  dev.rt.dispatch(
    matmulKernel(m, k, n, transA, transB, out.dtype),
    [dev.storageOf(a), dev.storageOf(b), y.storage],
    matmulGroups(batch, m, n),
  );
  return y;
}

/** Outer × axis × inner decomposition used by the per-axis kernels. */
const around = (shape: Shape, axis: number): [number, number, number] => [
  sizeOf(shape.slice(0, axis)),
  shape[axis]!,
  sizeOf(shape.slice(axis + 1)),
];

/** A kernel over host or device arrays; outputs are device arrays (or host views). */
export type GpuKernel<P extends KernelPrimitive> = (
  inputs: Array[],
  params: PrimitiveParams[P],
  outAvals: readonly AbstractValue[],
) => Array[];

/** The kernel table of the WebGPU backend. */
export function gpuKernels(dev: Device): { [P in KernelPrimitive]: GpuKernel<P> } {
  const rt = dev.rt;
  const one = (code: string, ins: readonly Array[], outs: readonly GpuArray[], n: number) =>
    rt.dispatch(
      code,
      [...ins.map((x) => dev.storageOf(x)), ...outs.map((y) => y.storage)],
      rt.groups1d(n),
    );
  const ew = Object.fromEntries(
    [...UNARY_PRIMITIVES, ...BINARY_PRIMITIVES, 'select', 'cast', 'stop_gradient'].map((prim) => [
      prim,
      elementwise(dev, prim as ElementwisePrimitive, undefined),
    ]),
  ) as unknown as { [P in ElementwisePrimitive]: GpuKernel<P> };
  return {
    ...ew,
    reduce_sum: ([x], { axes }, [out]) => {
      const { code, long, outputs } = reduceKernel(x!.shape, axes, 'sum', x!.dtype);
      const y = dev.fresh(out!.shape, out!.dtype);
      rt.dispatch(
        code,
        [dev.storageOf(x!), y.storage],
        long ? rt.groups1d(outputs * 256) : rt.groups1d(outputs),
      );
      return [y];
    },
    reduce_max: ([x], { axes }, [out]) => {
      const { code, long, outputs } = reduceKernel(x!.shape, axes, 'max', x!.dtype);
      const y = dev.fresh(out!.shape, out!.dtype);
      rt.dispatch(
        code,
        [dev.storageOf(x!), y.storage],
        long ? rt.groups1d(outputs * 256) : rt.groups1d(outputs),
      );
      return [y];
    },
    argmax: ([x], { axis }, [out]) => {
      const [o, n, i] = around(x!.shape, axis);
      const y = dev.fresh(out!.shape, 'int32');
      if (n === 0) throw new JuteError('argmax: cannot take the argmax of an empty axis');
      one(argmaxKernel(o, n, i, x!.dtype), [x!], [y], o * i);
      return [y];
    },
    cumsum: ([x], { axis, reverse }, [out]) => {
      const [o, n, i] = around(x!.shape, axis);
      const y = dev.fresh(out!.shape, out!.dtype);
      one(cumsumKernel(o, n, i, reverse, x!.dtype), [x!], [y], o * i);
      return [y];
    },
    sort: ([x], { axis }) => {
      const [o, n, i] = around(x!.shape, axis);
      const vals = dev.fresh(x!.shape, x!.dtype);
      const idxs = dev.fresh(x!.shape, 'int32');
      one(sortKernel(o, n, i, x!.dtype), [x!], [vals, idxs], o * n * i);
      return [vals, idxs];
    },
    broadcast_in_dim: ([x], { shape, dims }, [out]) => {
      const inStrides = stridesOf(x!.shape);
      const strides = new globalThis.Array<number>(shape.length).fill(0);
      dims.forEach((d, i) => {
        strides[d] = x!.shape[i] === 1 && shape[d] !== 1 ? 0 : inStrides[i]!;
      });
      const y = dev.fresh(shape, out!.dtype);
      copyInto(dev, dev.storageOf(x!), y.storage, shape, 0, strides, 0, stridesOf(shape));
      return [y];
    },
    // A host array stays on the host (a view): index arrays such as labels remain
    // readable for the range checks of the op library. A device array shares its buffer.
    reshape: ([x], { shape }) => [
      x instanceof GpuArray
        ? new GpuArray(x.storage, shape, x.dtype, rt)
        : new ConcreteArray((x as ConcreteArray).buffer, shape, x!.dtype),
    ],
    transpose: ([x], { perm }) => [transposeGpu(dev, x!, perm)],
    slice: ([x], { start, strides }, [out]) => {
      const inStrides = stridesOf(x!.shape);
      const shape = out!.shape;
      const offset = start.reduce((acc, s, i) => acc + s * inStrides[i]!, 0);
      const y = dev.fresh(shape, x!.dtype);
      copyInto(
        dev,
        dev.storageOf(x!),
        y.storage,
        shape,
        offset,
        inStrides.map((st, i) => st * strides[i]!),
        0,
        stridesOf(shape),
      );
      return [y];
    },
    pad: ([x], { lo, interior, value }, [out]) => {
      const shape = out!.shape;
      const y = dev.fresh(shape, x!.dtype);
      one(fillKernel(sizeOf(shape), value, x!.dtype), [], [y], sizeOf(shape));
      const inStrides = stridesOf(x!.shape);
      const outStrides = stridesOf(shape);
      const count: number[] = [];
      let srcOff = 0;
      let dstOff = 0;
      x!.shape.forEach((d, i) => {
        const step = interior[i]! + 1;
        const first = lo[i]! >= 0 ? 0 : Math.ceil(-lo[i]! / step);
        const last = Math.min(d - 1, Math.floor((shape[i]! - 1 - lo[i]!) / step));
        count.push(Math.max(0, last - first + 1));
        srcOff += first * inStrides[i]!;
        dstOff += (lo[i]! + first * step) * outStrides[i]!;
      });
      copyInto(
        dev,
        dev.storageOf(x!),
        y.storage,
        count,
        srcOff,
        inStrides,
        dstOff,
        outStrides.map((s, i) => s * (interior[i]! + 1)),
      );
      return [y];
    },
    concatenate: (xs, { axis }, [out]) => {
      const shape = out!.shape;
      const y = dev.fresh(shape, out!.dtype);
      const outStrides = stridesOf(shape);
      let at = 0;
      for (const x of xs) {
        copyInto(
          dev,
          dev.storageOf(x),
          y.storage,
          x.shape,
          0,
          stridesOf(x.shape),
          at * outStrides[axis]!,
          outStrides,
        );
        at += x.shape[axis]!;
      }
      return [y];
    },
    gather: ([x, idx], { axis }, [out]) => {
      const [o, n, i] = around(x!.shape, axis);
      const y = dev.fresh(out!.shape, x!.dtype);
      one(gatherKernel(o, n, idx!.size, i), [x!, idx!], [y], sizeOf(out!.shape));
      return [y];
    },
    scatter_add: ([upd, idx], { axis, size, shape }) => {
      const o = sizeOf(shape.slice(0, axis));
      const i = sizeOf(shape.slice(axis + 1));
      const y = dev.fresh(shape, upd!.dtype);
      one(scatterAddKernel(o, size, idx!.size, i, upd!.dtype), [upd!, idx!], [y], sizeOf(shape));
      return [y];
    },
    dot_general: ([a, b], p, [out]) => [dotGeneral(dev, a!, b!, p, out!)],
    conv_patches: ([x], p, [out]) => {
      const y = dev.fresh(out!.shape, x!.dtype);
      one(im2colKernel(x!.shape, p, x!.dtype), [x!], [y], sizeOf(out!.shape));
      return [y];
    },
    // Keys are small and their bits must match the CPU's exactly, so sampling runs on the
    // host (a host key stays readable for the next split); the result uploads on first use.
    random_sample: ([key], p) => [
      new ConcreteArray(
        sampleRandom((key as ConcreteArray).buffer, p, sizeOf(p.shape)),
        p.shape,
        p.dtype,
      ),
    ],
    conv_patches_transpose: ([cols], p) => {
      const y = dev.fresh(p.inputShape, cols!.dtype);
      one(col2imKernel(p.inputShape, p, cols!.dtype), [cols!], [y], sizeOf(p.inputShape));
      return [y];
    },
  };
}
