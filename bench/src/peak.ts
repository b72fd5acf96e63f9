import os from 'node:os';

/**
 * What "share of peak" is measured against. A virtual machine reports its nominal clock
 * (`cpu MHz`), not the boosted one its cores run at, so the clock is measured: a chain of
 * dependent `i32.add`s retires one per cycle on every x86-64 core of the last decade.
 *
 * Peaks then follow from the core's pipes. WebAssembly SIMD (no FMA before relaxed SIMD)
 * issues f32x4 multiplies and adds separately: AMD Zen 4/5 have two FP multiply and two
 * FP add pipes, 4 × 4 = 16 FLOP per cycle per core. Native code on Zen 5 issues two
 * 512-bit FMAs per cycle: 2 × 16 × 2 = 64 FLOP per cycle per core (AVX-512, which the
 * browser and Node cannot use). Other CPUs differ; the line says which figures it assumes.
 */

/** A module with one export `chain(n, y)`: `x += y` 8n times, each add waiting on the last. */
function clockModule(): Uint8Array<ArrayBuffer> {
  const add8 = Array.from({ length: 8 }, () => [0x20, 2, 0x20, 1, 0x6a, 0x21, 2]).flat(); // x = x + y
  // biome-ignore format: one instruction per line, as an assembler listing
  const body = [
    0x01, 0x01, 0x7f, // one local i32 (x, index 2)
    0x02, 0x40, // block
    0x03, 0x40, // loop
    0x20, 0, 0x45, 0x0d, 1, // if n == 0 break
    ...add8,
    0x20, 0, 0x41, 1, 0x6b, 0x21, 0, // n -= 1
    0x0c, 0, // continue
    0x0b, 0x0b, // end loop, end block
    0x20, 2, // return x
    0x0b,
  ];
  const section = (id: number, bytes: number[]) => [id, bytes.length, ...bytes];
  // biome-ignore format: one section per line
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]), // type: (i32, i32) -> i32
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, 5, ...Array.from('chain', (c) => c.charCodeAt(0)), 0x00, 0]),
    ...section(10, [1, body.length, ...body]),
  ]);
}

/** The core clock in GHz: best of several runs of the dependent add chain. */
export function measureClockGHz(): number {
  const chain = new WebAssembly.Instance(new WebAssembly.Module(clockModule())).exports.chain as (
    n: number,
    y: number,
  ) => number;
  const n = 5_000_000;
  chain(n, 3); // tier up
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    chain(n, i);
    best = Math.min(best, performance.now() - t0);
  }
  return (8 * n) / (best * 1e6);
}

export interface Peaks {
  readonly clockGHz: number;
  readonly cores: number;
  /** f32x4 mul + add, 16 FLOP per cycle per core, all cores. */
  readonly wasmSimdGflops: number;
  /** Two 512-bit FMAs per cycle per core (Zen 5), all cores. */
  readonly nativeGflops: number;
}

export function machinePeaks(): Peaks {
  const clockGHz = measureClockGHz();
  const cores = os.availableParallelism();
  return {
    clockGHz,
    cores,
    wasmSimdGflops: 16 * clockGHz * cores,
    nativeGflops: 64 * clockGHz * cores,
  };
}

export function peakLine(p: Peaks): string {
  return (
    `peak: clock ${p.clockGHz.toFixed(2)} GHz (measured) x ${p.cores} cores; ` +
    `WebAssembly SIMD ceiling ${p.wasmSimdGflops.toFixed(0)} GFLOP/s (f32x4 mul+add, 16 FLOP/cycle/core), ` +
    `native ${p.nativeGflops.toFixed(0)} GFLOP/s (AVX-512 FMA, 64 FLOP/cycle/core, Zen 5)`
  );
}
