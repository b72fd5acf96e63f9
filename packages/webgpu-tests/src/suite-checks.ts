/**
 * The assertions on a suite result, shared by the browser run and the Node run.
 */
import { ALL_PRIMITIVES } from '@jute/tensor/core';
import { expect, it } from 'vitest';
import type { SuiteResult } from './browser/suite';

/** Registers the checks of one suite run; `get` gives the result once `beforeAll` has it. */
export function suiteChecks(
  get: () => { result: SuiteResult; consoleErrors: readonly string[] },
): void {
  it('gets a WebGPU adapter', () => {
    expect(get().result.device.length).toBeGreaterThan(0);
  });

  it('agrees with the CPU backend on every op-table case', () => {
    const bad = get()
      .result.cases.filter((c) => !c.ok)
      .map((c) => `${c.name}: ${c.maxErr} ${c.detail.slice(0, 300)}`);
    expect(bad).toEqual([]);
    expect(get().result.cases.length).toBeGreaterThan(100);
  });

  it('covers every kernel primitive', () => {
    const closures = ['scan', 'cond', 'while', 'custom_linear', 'jit_call'];
    const kernelPrims = ALL_PRIMITIVES.filter((p) => !closures.includes(p));
    expect(kernelPrims.filter((p) => !get().result.primitivesCovered.includes(p))).toEqual([]);
  });

  it('fuses an elementwise chain into one kernel under jit', () => {
    expect(get().result.fusion.dispatchesEager).toBeGreaterThanOrEqual(7);
    expect(get().result.fusion.dispatchesJit).toBe(1);
  });

  it('trains the CNN: the loss falls and matches the CPU to float32 tolerance', () => {
    const { cpuLosses, gpuLosses, jitLosses } = get().result.cnn;
    expect(gpuLosses.length).toBe(cpuLosses.length);
    cpuLosses.forEach((l, i) => {
      expect(Math.abs(gpuLosses[i]! - l)).toBeLessThan(1e-3 * Math.max(1, Math.abs(l)));
      expect(Math.abs(jitLosses[i]! - l)).toBeLessThan(1e-3 * Math.max(1, Math.abs(l)));
    });
    expect(gpuLosses[gpuLosses.length - 1]!).toBeLessThan(gpuLosses[0]!);
  });

  it('runs a training step without reading anything back', () => {
    expect(get().result.cnn.readsDuringStep).toBe(0);
  });

  it('holds bounded GPU memory over a loop that awaits once per step', () => {
    const live = get().result.memory.liveAfter;
    expect(live.length).toBe(4);
    // After warm-up, neither the live bytes nor the pool grow with the number of steps.
    expect(live[3]!).toBeLessThanOrEqual(live[1]! * 1.5 + (1 << 20));
    expect(get().result.memory.allocatedAfter[3]!).toBeLessThanOrEqual(
      get().result.memory.allocatedAfter[1]! * 1.5 + (1 << 20),
    );
  });

  it('throws typed errors: float64 names the op, sync reads name dataAsync', () => {
    expect(get().result.errors.float64).toMatch(
      /^DTypeError: neg: float64 is not supported on the WebGPU backend/,
    );
    expect(get().result.errors.syncReadName).toBe('SyncReadError');
    expect(get().result.errors.syncRead).toContain('dataAsync');
  });

  it('compiles every WGSL kernel without a console error', () => {
    expect(get().consoleErrors.slice(0, 3)).toEqual([]);
  });
}
