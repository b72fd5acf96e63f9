import { WebGpuUnavailableError } from './errors';
import type { Gpu, GpuAdapter, GpuDevice } from './gpu-types';

/** Options of `webgpuBackend()`. */
export interface WebGpuOptions {
  /**
   * The WebGPU entry object. Defaults to `navigator.gpu`; in Node, pass the `gpu` object of
   * a WebGPU implementation (for example Dawn's `webgpu` package: `create([])`).
   */
  gpu?: unknown;
  /** Which adapter to ask for when a machine has several. */
  powerPreference?: 'high-performance' | 'low-power';
}

/** The adapter and device the backend runs on. */
export interface AcquiredDevice {
  readonly device: GpuDevice;
  readonly adapter: GpuAdapter;
  /** `vendor architecture description` of the adapter, for display ("which GPU ran"). */
  readonly description: string;
}

// Limits worth raising to what the adapter offers: bigger buffers (4096² matmuls and
// large batches) and more storage bindings (wider fused elementwise kernels).
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
] as const;

/**
 * Finds a WebGPU adapter and opens a device on it. Throws `WebGpuUnavailableError` with
 * the step that failed: no `navigator.gpu`, no adapter (WebGPU disabled, blocklisted GPU,
 * or no GPU at all), or a device request that was refused.
 */
export async function acquireDevice(options: WebGpuOptions = {}): Promise<AcquiredDevice> {
  const gpu = (options.gpu ?? (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) as
    | Gpu
    | undefined;
  if (gpu === undefined || gpu === null) {
    throw new WebGpuUnavailableError(
      'no-navigator-gpu',
      'webgpuBackend: navigator.gpu is missing: this browser or runtime has no WebGPU (in Chromium it needs a secure context such as https or 127.0.0.1)',
    );
  }
  const adapter = await gpu.requestAdapter(
    options.powerPreference === undefined ? {} : { powerPreference: options.powerPreference },
  );
  if (adapter === null || adapter === undefined) {
    throw new WebGpuUnavailableError(
      'no-adapter',
      'webgpuBackend: navigator.gpu.requestAdapter() returned no adapter: WebGPU is disabled or no GPU is available',
    );
  }
  const requiredLimits: Record<string, number> = {};
  for (const k of RAISED_LIMITS) requiredLimits[k] = adapter.limits[k];
  let device: GpuDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits });
  } catch (e) {
    throw new WebGpuUnavailableError(
      'no-device',
      `webgpuBackend: the adapter refused a device: ${(e as Error).message}`,
    );
  }
  const info = adapter.info ?? {};
  const description =
    [info.vendor, info.architecture, info.description].filter((s) => s).join(' ') || 'unknown GPU';
  return { device, adapter, description };
}
