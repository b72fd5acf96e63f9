import { Array } from '../../core/array';
import type { DType, TypedArray } from '../../core/dtype';
import { DTypeError } from '../../core/errors';
import { formatArray } from '../../core/format';
import type { Shape } from '../../core/shape';
import { sizeOf } from '../../core/shape';
import { SyncReadError } from './errors';
import type { GpuStorage } from './gpu-storage';
import type { GpuRuntime } from './runtime';

/** Host typed array of `dtype` from the words read back (`bool` narrows to bytes). */
function fromWords(words: ArrayBuffer, dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(words, 0, size);
    case 'int32':
      return new Int32Array(words, 0, size);
    case 'bool':
      return Uint8Array.from(new Uint32Array(words, 0, size));
    case 'float64':
      throw new DTypeError('webgpu: float64 arrays cannot live on the GPU');
  }
}

/**
 * An array whose data is in a GPU buffer. Ops on it record kernels without waiting;
 * `await x.dataAsync()` reads it back (and keeps the host copy, so the synchronous reads
 * work afterwards). Reading it synchronously before that throws a `SyncReadError`.
 *
 * It is deliberately not a `ConcreteArray`: across the library, `x instanceof
 * ConcreteArray` means "its values can be read now" (index range checks, label checks),
 * and those checks must skip device arrays as they skip tracers, not fail on them.
 */
export class GpuArray extends Array {
  #host: TypedArray | undefined;

  constructor(
    readonly storage: GpuStorage,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly runtime: GpuRuntime,
  ) {
    super();
  }

  /** The host copy, once read back; what a CPU kernel handed this array would read. */
  get buffer(): TypedArray {
    if (this.#host !== undefined) return this.#host;
    throw new SyncReadError(
      `data: this ${this.dtype}[${this.shape.join(',')}] array lives on the WebGPU device and cannot be read synchronously; use \`await x.dataAsync()\` (or \`await jt.blockUntilReady(tree)\`) first`,
    );
  }

  data(): TypedArray {
    return this.buffer.slice();
  }

  override async dataAsync(): Promise<TypedArray> {
    if (this.#host === undefined) {
      const size = sizeOf(this.shape);
      const words = await this.runtime.read(this.storage, size * 4);
      this.#host = fromWords(words, this.dtype, size);
    }
    return this.#host.slice();
  }

  override toString(): string {
    if (this.#host !== undefined) return formatArray(this.#host, this.shape, this.dtype);
    return `Array(${this.dtype}[${this.shape.join(',')}] on webgpu; await dataAsync() to read)`;
  }
}
