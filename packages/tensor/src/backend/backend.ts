import type { ConcreteArray } from '../core/array';
import type { Primitive, PrimitiveParams } from '../primitives';

/** Primitives whose evaluation is a numeric kernel (control flow calls closures instead). */
export type KernelPrimitive = Exclude<Primitive, 'scan' | 'cond' | 'while' | 'custom_linear'>;

export type Kernel<P extends KernelPrimitive> = (
  inputs: ConcreteArray[],
  params: PrimitiveParams[P],
) => ConcreteArray[];

/**
 * A backend: one kernel per numeric primitive over concrete arrays. The op library never
 * sees it; swapping backends (pure TypeScript, WASM SIMD ...) changes nothing above.
 */
export interface Backend {
  readonly name: string;
  readonly kernels: { readonly [P in KernelPrimitive]: Kernel<P> };
}
