import type { JaxprEqn } from '../core/jaxpr';
import type { PrimitiveParams } from '../core/primitives';
import { sizeOf } from '../core/shape';
import { matmulF32Batched, type Operand } from '../wasm/matmul';
import type { InPlaceKernel } from './compiler/program';
import { dotLayout } from './dot-layout';
import { patchMover } from './wasm-patches';
import { transposeMover } from './wasm-transpose';

/**
 * The WebAssembly kernels a compiled program runs where their float32 operands lie
 * (arrays, or offsets in the matmul's memory, where the program's arena is): matrix
 * products whose operands need no transposing copy, and im2col/col2im and transposes
 * that move contiguous rows. Undefined for any other equation.
 */
export function wasmInPlaceKernel(eqn: JaxprEqn): InPlaceKernel | undefined {
  if (![...eqn.inputs, ...eqn.outs].every((v) => v.aval.dtype === 'float32')) return undefined;
  const [x, y] = eqn.inputs;
  const out = eqn.outs[0]!;
  switch (eqn.prim) {
    case 'dot_general': {
      const p = eqn.params as PrimitiveParams['dot_general'];
      const d = dotLayout(x!.aval.shape, y!.aval.shape, p);
      if (d.lperm || d.rperm || d.batch * d.m * d.k * d.n === 0) return undefined;
      // Backend arrays are immutable, so a weight's packed form can be reused across calls.
      const options = { transA: d.transA, transB: d.transB, cacheB: true };
      return ([a, b], [c]) =>
        matmulF32Batched(f32(a!), f32(b!), f32(c!), d.batch, d.m, d.k, d.n, options);
    }
    case 'conv_patches': {
      const p = eqn.params as PrimitiveParams['conv_patches'];
      const move = patchMover(x!.aval.shape, sizeOf(out.aval.shape), p, false);
      return move && (([image], [cols]) => move(f32(image!), f32(cols!)));
    }
    case 'conv_patches_transpose': {
      const p = eqn.params as PrimitiveParams['conv_patches_transpose'];
      const move = patchMover(p.inputShape, sizeOf(x!.aval.shape), p, true);
      return move && (([cols], [image]) => move(f32(cols!), f32(image!)));
    }
    case 'transpose': {
      const { perm } = eqn.params as PrimitiveParams['transpose'];
      const move = transposeMover(x!.aval.shape, perm);
      return move && (([src], [dst]) => move(f32(src!), f32(dst!)));
    }
    default:
      return undefined;
  }
}

/** A float32 operand: the equation's avals are float32, so arrays are Float32Arrays. */
const f32 = (x: unknown) => x as Operand;
