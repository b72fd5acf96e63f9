import { JuteError } from '../../core/errors';

/** Why no WebGPU device could be had: `'no-navigator-gpu'`, `'no-adapter'` or `'no-device'`. */
export type WebGpuUnavailableReason = 'no-navigator-gpu' | 'no-adapter' | 'no-device';

/**
 * `webgpuBackend()` found no usable GPU. `reason` says which step failed, so callers can
 * fall back to the CPU (`jt.defaultBackend()`) and tell the user why.
 */
export class WebGpuUnavailableError extends JuteError {
  override name = 'WebGpuUnavailableError';
  constructor(
    readonly reason: WebGpuUnavailableReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A synchronous read (`.data()`, `.item()`, `.toArray()`, `Number(x)`) of an array whose
 * data is still on the GPU. The GPU answers asynchronously: `await x.dataAsync()` (after
 * which the synchronous reads work on that array), or `await jt.blockUntilReady(tree)`.
 */
export class SyncReadError extends JuteError {
  override name = 'SyncReadError';
}
