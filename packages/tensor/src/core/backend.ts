import type { ConcreteArray } from './array';
import type { TypedArray } from './dtype';
import type { Jaxpr } from './jaxpr';
import type { AbstractValue, Primitive, PrimitiveParams } from './primitives';

/** Primitives whose evaluation is a numeric kernel (control flow calls closures instead). */
export type KernelPrimitive = Exclude<
  Primitive,
  'scan' | 'cond' | 'while' | 'custom_linear' | 'jit_call'
>;

/**
 * One primitive on concrete arrays. `outAvals` are the output shapes and dtypes that the
 * primitive's shape rule computed, so kernels never recompute (or disagree on) them.
 */
export type Kernel<P extends KernelPrimitive> = (
  inputs: ConcreteArray[],
  params: PrimitiveParams[P],
  outAvals: readonly AbstractValue[],
) => ConcreteArray[];

/**
 * A backend: one kernel per numeric primitive over concrete arrays. The op library never
 * sees it; swapping backends (pure TypeScript, WASM SIMD ...) changes nothing above.
 */
export interface Backend {
  readonly name: string;
  readonly kernels: { readonly [P in KernelPrimitive]: Kernel<P> };
  /**
   * Compiles a constant-free jaxpr into a program (fused kernels, planned memory). A
   * backend without it runs `jit` programs by interpreting their equations.
   */
  readonly compile?: (jaxpr: Jaxpr, options: CompileOptions) => Program;
}

export interface CompileOptions {
  /** Per input: the caller gives the buffer up, so the program may write into it. */
  readonly donated: readonly boolean[];
}

/**
 * A compiled jaxpr: inputs in the order of its `inVars`, outputs in the order of `outs`.
 * `into[k]`, where given, is a buffer of output k's size and dtype that the program may
 * write output k into (a row of a scan's stacked output); the output then views it.
 */
export type Program = (
  inputs: readonly ConcreteArray[],
  into?: readonly (TypedArray | undefined)[],
) => ConcreteArray[];
