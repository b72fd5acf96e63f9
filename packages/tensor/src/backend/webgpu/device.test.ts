import { describe, expect, it } from 'vitest';
import { acquireDevice } from './device';
import { WebGpuUnavailableError } from './errors';

// Node has no navigator.gpu: these fakes stand in for the three ways WebGPU can be missing.
describe('acquireDevice', () => {
  it('says when there is no navigator.gpu', async () => {
    const e = await acquireDevice().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WebGpuUnavailableError);
    expect((e as WebGpuUnavailableError).reason).toBe('no-navigator-gpu');
    expect((e as Error).message).toMatch(/navigator\.gpu is missing/);
  });

  it('says when there is no adapter', async () => {
    const gpu = { requestAdapter: async () => null };
    const e = await acquireDevice({ gpu }).catch((x: unknown) => x);
    expect((e as WebGpuUnavailableError).reason).toBe('no-adapter');
    expect((e as Error).message).toMatch(/returned no adapter/);
  });

  it('says when the adapter refuses a device', async () => {
    const limits = {
      maxStorageBufferBindingSize: 1,
      maxBufferSize: 1,
      maxStorageBuffersPerShaderStage: 8,
      maxComputeWorkgroupStorageSize: 1,
    };
    const gpu = {
      requestAdapter: async () => ({
        limits,
        requestDevice: async () => {
          throw new Error('device lost');
        },
      }),
    };
    const e = await acquireDevice({ gpu }).catch((x: unknown) => x);
    expect((e as WebGpuUnavailableError).reason).toBe('no-device');
    expect((e as Error).message).toContain('device lost');
  });
});
