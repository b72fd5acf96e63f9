import { checkGrads } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { expect } from 'vitest';

// Works around an import cycle in @jute/tensor's working tree (core/eval.ts reads
// `cpuBackend` before backend/cpu.ts has run, so the eval backend starts undefined).
// Harmless once the cycle is fixed.
if (!jt.getBackend()) jt.setBackend(jt.cpuBackend);

export const f32 = (x: jt.NestedArray) => jt.array(x);
export const f64 = (x: jt.NestedArray) => jt.array(x, { dtype: 'float64' });

/** Asserts `got` has `shape` and is elementwise within `tol` of `want`. */
export function expectClose(got: jt.Array, want: jt.NestedArray | jt.Array, tol = 1e-5): void {
  const w = want instanceof jt.Array ? want : jt.array(want, { dtype: 'float64' });
  expect([...got.shape]).toEqual([...w.shape]);
  const a = Array.from(got.data() as ArrayLike<number>);
  const b = Array.from(w.data() as ArrayLike<number>);
  a.forEach((v, i) => {
    if (!(Math.abs(v - b[i]!) <= tol * (1 + Math.abs(b[i]!)))) {
      throw new Error(
        `element ${i}: got ${v}, expected ${b[i]} (tolerance ${tol})\ngot ${got.toString()}`,
      );
    }
  });
}

/** `checkGrads` with a tolerance suited to composite layers. */
// biome-ignore lint/suspicious/noExplicitAny: tests pass functions of any parameter types.
export function expectGradsOk(f: (...args: any[]) => unknown, args: readonly unknown[]): void {
  expect(() => checkGrads(f, args, { tolerance: 1e-4 })).not.toThrow();
}

/** Casts every float leaf of a tree to float64. */
export const toF64 = <T>(tree: T): T =>
  jt.tree.map((l: jt.Array) => (jt.isFloat(l.dtype) ? jt.cast(l, 'float64') : l), tree) as T;

export const num = (x: jt.Array): number => Number(x.item());
