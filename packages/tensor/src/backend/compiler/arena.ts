import type { Jaxpr, JaxprEqn, Var } from '../../core/jaxpr';
import { sizeOf } from '../../core/shape';
import type { Step } from './fusion';

/**
 * Where a compiled program keeps the values that only in-place kernels touch: float32
 * results of fused groups and of a backend's in-place kernels (matrix products, im2col)
 * whose every reader is another such kernel or a reshape. They live at planned byte
 * offsets in one frame of the kernels' memory for the whole call, so they are never
 * copied through JS and never allocated.
 */
export interface ArenaPlan {
  /** Frame offset of each resident value; a reshape shares its operand's bytes. */
  readonly offset: ReadonlyMap<Var, number>;
  /** The frame's size in bytes. */
  readonly bytes: number;
}

/** Frame offsets are 64-byte aligned, so every value is padded for vector loads past its end. */
const ALIGN = 64;

/**
 * Plans the arena of `program` compiled to `steps`: `inPlace` are the equations a kernel
 * runs where their operands lie, `donatedInto` the fused outputs written into donated
 * buffers (which stay outside). Lifetimes run from the step that writes a value to the
 * last step that reads it or any reshape of it; a value reuses the bytes of one whose
 * last reader ran before it was written (first fit, in program order).
 */
export function planArena(
  program: Jaxpr,
  steps: readonly Step[],
  inPlace: ReadonlySet<JaxprEqn>,
  donatedInto: ReadonlySet<Var> = new Set(),
): ArenaPlan {
  const f32 = (v: Var) => v.aval.dtype === 'float32';
  // Values whose bytes another shares: a reshape's result and its operand.
  const root = new Map<Var, Var>();
  const rootOf = (v: Var): Var => root.get(v) ?? v;
  const written = new Map<Var, number>();
  const lastRead = new Map<Var, number>();
  const excluded = new Set<Var>();
  steps.forEach((s, k) => {
    if (s.kind === 'fused') {
      for (const v of s.group.outputs) if (f32(v) && !donatedInto.has(v)) written.set(v, k);
      for (const { v } of s.group.inputs) lastRead.set(rootOf(v), k);
      return;
    }
    const { eqn } = s;
    if (eqn.prim === 'reshape') {
      root.set(eqn.outs[0]!, rootOf(eqn.inputs[0]!));
      lastRead.set(rootOf(eqn.inputs[0]!), k);
      return;
    }
    const runsInPlace = inPlace.has(eqn);
    if (runsInPlace) for (const v of eqn.outs) if (f32(v)) written.set(v, k);
    for (const v of eqn.inputs) {
      lastRead.set(rootOf(v), k);
      if (!runsInPlace) excluded.add(rootOf(v));
    }
  });
  for (const v of [...program.outs, ...program.inVars]) excluded.add(rootOf(v));

  const offset = new Map<Var, number>();
  const placed: { at: number; end: number; bytes: number }[] = [];
  let bytes = 0;
  for (const [v, from] of written) {
    if (excluded.has(v)) continue;
    const until = lastRead.get(v) ?? from;
    const size = Math.ceil((sizeOf(v.aval.shape) * 4) / ALIGN) * ALIGN || ALIGN;
    // Bytes still in use when `v` is written: those of values read at or after its step.
    const busy = placed.filter((p) => p.end >= from).sort((a, b) => a.at - b.at);
    let at = 0;
    for (const p of busy) {
      if (at + size <= p.at) break;
      at = Math.max(at, p.at + p.bytes);
    }
    placed.push({ at, end: until, bytes: size });
    offset.set(v, at);
    bytes = Math.max(bytes, at + size);
  }
  // Reshapes of resident values share their bytes.
  for (const [v, r] of root) {
    const at = offset.get(r);
    if (at !== undefined) offset.set(v, at);
  }
  return { offset, bytes };
}
