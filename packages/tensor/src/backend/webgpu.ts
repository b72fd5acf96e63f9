import { type Array, ConcreteArray } from '../core/array';
import type { Backend, Kernel, KernelPrimitive } from '../core/backend';
import type { AbstractValue } from '../core/primitives';
import { sizeOf } from '../core/shape';
import { cpuBackend } from './cpu';
import { compileJaxpr } from './webgpu/compile';
import { acquireDevice, type WebGpuOptions } from './webgpu/device';
import { gpuKernels, makeDevice } from './webgpu/kernels';
import { GpuRuntime } from './webgpu/runtime';
import { float64Error } from './webgpu/wgsl';

export type { WebGpuOptions } from './webgpu/device';
export { SyncReadError, WebGpuUnavailableError } from './webgpu/errors';

/** The WebGPU backend: a `Backend` plus what the device says about itself. */
export interface WebGpuBackend extends Backend {
  /** The adapter that runs the kernels (`vendor architecture description`). */
  readonly device: string;
  /** Kernels dispatched, pipelines compiled, submits and read-backs so far. */
  readonly stats: Readonly<{
    dispatches: number;
    pipelines: number;
    submits: number;
    reads: number;
  }>;
  /** GPU bytes held by arrays, and by the pool in all (arrays plus buffers kept for reuse). */
  memory(): { liveBytes: number; allocatedBytes: number };
}

/** Outputs up to this many elements of int32 work on host inputs stay on the host. */
const HOST_FORWARD_MAX = 16;

/**
 * Whether a kernel runs on the host instead: all inputs are host arrays, and inputs and
 * outputs are small int32 arrays. PRNG keys and step counters are such arrays: kept on the
 * host they stay readable (`random.split` reads its key) and cost no dispatch or upload.
 */
const onHost = (inputs: readonly Array[], outAvals: readonly AbstractValue[]): boolean =>
  inputs.length > 0 &&
  inputs.every((x) => x instanceof ConcreteArray && x.dtype === 'int32') &&
  outAvals.every((a) => a.dtype === 'int32' && sizeOf(a.shape) <= HOST_FORWARD_MAX);

/**
 * Wraps a kernel with the float64 check (WGSL has no 64-bit floats, and we never downcast)
 * and the host forwarding of tiny integer work.
 */
function guarded<P extends KernelPrimitive>(prim: P, k: Kernel<P>): Kernel<P> {
  const host = cpuBackend.kernels[prim];
  return (inputs, params, outAvals) => {
    if (inputs.some((x) => x.dtype === 'float64') || outAvals.some((a) => a.dtype === 'float64')) {
      throw float64Error(prim);
    }
    if (onHost(inputs, outAvals)) return host(inputs, params, outAvals);
    return k(inputs, params, outAvals);
  };
}

/**
 * Creates the WebGPU backend: arrays live in GPU buffers, ops record WGSL kernels without
 * waiting for the device, `jit` programs compile into fused kernels. Read results with
 * `await x.dataAsync()` or `await jt.blockUntilReady(tree)`; synchronous reads of GPU
 * arrays throw `SyncReadError`. Supports float32, int32 and bool (float64 throws a
 * `DTypeError` naming the op). GPU memory is released when arrays are garbage-collected.
 *
 * Throws `WebGpuUnavailableError` (with a `reason`) when there is no `navigator.gpu`, no
 * adapter, or no device.
 * @example
 * const gpu = await jt.webgpuBackend();
 * jt.setBackend(gpu);
 * const y = jt.matmul(jt.ones([256, 256]), jt.ones([256, 256]));
 * console.log(await y.dataAsync());
 */
export async function webgpuBackend(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
  const { device, description } = await acquireDevice(options);
  const rt = new GpuRuntime(device, description);
  const dev = makeDevice(rt);
  const table = gpuKernels(dev);
  // Device arrays (GpuArray) travel where the core's types say ConcreteArray: the core
  // only hands them from one kernel of this backend to the next.
  const kernels = Object.fromEntries(
    Object.entries(table).map(([p, k]) => [
      p,
      guarded(p as KernelPrimitive, k as unknown as Kernel<KernelPrimitive>),
    ]),
  ) as unknown as { [P in KernelPrimitive]: Kernel<P> };
  return {
    name: 'webgpu',
    kernels,
    compile: (jaxpr) => {
      for (const v of [...jaxpr.inVars, ...jaxpr.outs]) {
        if (v.aval.dtype === 'float64') throw float64Error('jit');
      }
      return compileJaxpr(dev, jaxpr);
    },
    device: description,
    stats: rt.stats,
    memory: () => ({ liveBytes: rt.pool.liveBytes, allocatedBytes: rt.pool.allocatedBytes }),
  };
}
