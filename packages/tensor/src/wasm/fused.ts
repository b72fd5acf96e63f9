import type { FusedGroup } from '../backend/compiler/fusion';
import { allocate, type TypedArray } from '../core/dtype';
import type { Var } from '../core/jaxpr';
import { sizeOf } from '../core/shape';
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
  const elements = (v: Var) => sizeOf(v.aval.shape);
  // An input read with several patterns (an LSTM's four gate slices) is copied once.
  const copied = [...new Set(g.inputs.map((i) => i.v))];
  const sizes = [
    ...copied.map((v) => elements(v) * elementBytes(v)),
    ...g.outputs.map((v) => elements(v) * elementBytes(v)),
    ...g.reductions.map(reductionScratchBytes).filter((b) => b > 0),
  ];
  const offsets: number[] = [];
  let total = 0;
  for (const s of sizes) {
    offsets.push(total);
    total += padded(s);
  }
  const copyFrom = copied.map((v) => g.inputs.findIndex((i) => i.v === v));
  const inOffsets = g.inputs.map((i) => offsets[copied.indexOf(i.v)]!);
  const outOffsets = offsets.slice(copied.length, copied.length + g.outputs.length);
  const kernel = run;
  const args = [g.domain, ...inOffsets, ...offsets.slice(copied.length)];
  // `into[k]`: a donated buffer to write output k into instead of a new one.
  return (inputs, into) => {
    growMemory(rt.memory, total);
    if (rt.bytes.buffer !== rt.memory.buffer) rt.bytes = new Uint8Array(rt.memory.buffer);
    const bytes = rt.bytes;
    copyFrom.forEach((k, c) => {
      const x = inputs[k]!;
      bytes.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), offsets[c]!);
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
