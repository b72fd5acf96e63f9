import type { DType, TypedArray } from '../../core/dtype';
import { BufferPool } from './buffer-pool';
import { GpuStorage } from './gpu-storage';
import {
  BufferUsage,
  type GpuCommandEncoder,
  type GpuComputePass,
  type GpuComputePipeline,
  type GpuDevice,
  MAP_READ_MODE,
} from './gpu-types';

/** Dispatches recorded before the runtime submits on its own (keeps the GPU fed). */
const MAX_PENDING = 128;

/** Threads per workgroup of the one-thread-per-element kernels. */
export const WORKGROUP = 256;

/**
 * The device side of the backend: compiled pipelines (cached by WGSL text), the buffer
 * pool, and one open command encoder that kernels append to. Nothing waits for the GPU
 * except `read`, so a chain of ops is recorded without a round trip and submitted in
 * batches.
 */
export class GpuRuntime {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GpuComputePipeline>();
  private encoder: GpuCommandEncoder | undefined;
  private pass: GpuComputePass | undefined;
  private pending = 0;
  /** Counters for tests and the docs: kernels dispatched, pipelines compiled, submits. */
  readonly stats = { dispatches: 0, pipelines: 0, submits: 0, reads: 0 };

  constructor(
    readonly device: GpuDevice,
    readonly description: string,
  ) {
    this.pool = new BufferPool(device);
  }

  get maxStorageBuffers(): number {
    return this.device.limits.maxStorageBuffersPerShaderStage;
  }

  get maxWorkgroupsPerDim(): number {
    return this.device.limits.maxComputeWorkgroupsPerDimension;
  }

  private pipeline(code: string): GpuComputePipeline {
    let p = this.pipelines.get(code);
    if (p === undefined) {
      const module = this.device.createShaderModule({ code });
      p = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(code, p);
      this.stats.pipelines++;
    }
    return p;
  }

  /** A fresh device buffer of `bytes` (contents undefined until a kernel writes it). */
  alloc(bytes: number): GpuStorage {
    return new GpuStorage(this.pool, this.pool.acquire(bytes), bytes);
  }

  /** Copies host data to a new device buffer (`bool` bytes widen to 32-bit words). */
  upload(data: TypedArray, dtype: DType): GpuStorage {
    const words = dtype === 'bool' ? Uint32Array.from(data as Uint8Array) : data;
    const s = this.alloc(words.byteLength);
    if (words.byteLength > 0) this.device.queue.writeBuffer(s.buffer, 0, words);
    return s;
  }

  /**
   * Records one compute dispatch: `buffers` bound at 0, 1, ... in order (inputs first,
   * then outputs, as the kernel declares them).
   */
  dispatch(code: string, buffers: readonly GpuStorage[], groups: readonly number[]): void {
    if (groups.some((g) => g === 0)) return;
    const pipeline = this.pipeline(code);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((b, i) => ({ binding: i, resource: { buffer: b.buffer } })),
    });
    if (this.pass === undefined) {
      this.encoder = this.device.createCommandEncoder();
      this.pass = this.encoder.beginComputePass();
    }
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(groups[0]!, groups[1] ?? 1, groups[2] ?? 1);
    this.stats.dispatches++;
    if (++this.pending >= MAX_PENDING) this.flush();
  }

  /** Submits what was recorded; buffers released meanwhile become reusable. */
  flush(): void {
    if (this.pass !== undefined && this.encoder !== undefined) {
      this.pass.end();
      this.device.queue.submit([this.encoder.finish()]);
      this.stats.submits++;
    }
    this.pass = undefined;
    this.encoder = undefined;
    this.pending = 0;
    this.pool.afterSubmit();
  }

  /** Reads `bytes` of a buffer back to the host, after everything recorded so far. */
  async read(storage: GpuStorage, bytes: number): Promise<ArrayBuffer> {
    this.flush();
    this.stats.reads++;
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const staging = this.device.createBuffer({
      size,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    const enc = this.device.createCommandEncoder();
    if (bytes > 0) enc.copyBufferToBuffer(storage.buffer, 0, staging, 0, size);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(MAP_READ_MODE);
    const copy = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    staging.destroy();
    return copy;
  }

  /** Workgroup counts for `n` threads of `WORKGROUP`, spread over y when x runs out. */
  groups1d(n: number): [number, number] {
    const total = Math.ceil(n / WORKGROUP);
    const max = this.maxWorkgroupsPerDim;
    if (total <= max) return [total, 1];
    const y = Math.ceil(total / max);
    return [Math.ceil(total / y), y];
  }
}
