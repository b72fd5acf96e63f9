import type { FusedGroup } from '../backend/compiler/fusion';
import { allocate, type TypedArray } from '../core/dtype';
import type { Var } from '../core/jaxpr';
import { ELEMENTWISE_MEMORY, PAD_BYTES } from './elementwise-kernel';
import {
  buildFusedModule,
  elementBytes,
  groupSignature,
  reductionScratchBytes,
} from './fused-kernel';
import { callingThreadMemory, growMemory } from './memory';

type Run = (...args: number[]) => void;

/**
 * Runs fused elementwise kernels on the calling thread. Inputs are copied into a private
 * memory once per group (not once per operation), the generated kernel runs, and the
 * outputs are copied out. Kernels are cached by the group's canonical text.
 */
interface FusedRuntime {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Map<string, Run>;
  bytes: Uint8Array;
}

let runtime: FusedRuntime | undefined;

function getRuntime(): FusedRuntime {
  if (runtime === undefined) {
    const memory = callingThreadMemory();
    runtime = { memory, kernels: new Map(), bytes: new Uint8Array(memory.buffer) };
  }
  return runtime;
}

const padded = (bytes: number) => Math.ceil(bytes / PAD_BYTES) * PAD_BYTES || PAD_BYTES;

/** A fused group bound to its kernel and memory layout: `run(inputs) → outputs`. */
export function fusedKernel(
  g: FusedGroup,
): (inputs: readonly TypedArray[], into?: readonly (TypedArray | undefined)[]) => TypedArray[] {
  const rt = getRuntime();
  const key = groupSignature(g);
  let run = rt.kernels.get(key);
  if (run === undefined) {
    const module = new WebAssembly.Module(buildFusedModule(g));
    const instance = new WebAssembly.Instance(module, {
      [ELEMENTWISE_MEMORY.module]: { [ELEMENTWISE_MEMORY.name]: rt.memory },
    });
    run = instance.exports.run as Run;
    rt.kernels.set(key, run);
  }
  const elements = (v: Var) => v.aval.shape.reduce((a, d) => a * d, 1);
  const sizes = [
    ...g.inputs.map((i) => elements(i.v) * elementBytes(i.v)),
    ...g.outputs.map((v) => elements(v) * elementBytes(v)),
    ...g.reductions.map(reductionScratchBytes).filter((b) => b > 0),
  ];
  const offsets: number[] = [];
  let total = 0;
  for (const s of sizes) {
    offsets.push(total);
    total += padded(s);
  }
  const outOffsets = offsets.slice(g.inputs.length, g.inputs.length + g.outputs.length);
  const kernel = run;
  const args = [g.domain, ...offsets];
  // `into[k]`: a donated buffer to write output k into instead of a new one.
  return (inputs, into) => {
    growMemory(rt.memory, total);
    if (rt.bytes.buffer !== rt.memory.buffer) rt.bytes = new Uint8Array(rt.memory.buffer);
    const bytes = rt.bytes;
    inputs.forEach((x, k) => {
      bytes.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), offsets[k]!);
    });
    kernel(...args);
    return g.outputs.map((v, k) => {
      const out = into?.[k] ?? allocate(v.aval.dtype, elements(v), false);
      const at = outOffsets[k]!;
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(
        bytes.subarray(at, at + out.byteLength),
      );
      return out;
    });
  };
}
