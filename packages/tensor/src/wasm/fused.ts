import type { FusedGroup } from '../backend/compiler/fusion';
import type { FusedRunner } from '../backend/compiler/program';
import { allocate } from '../core/dtype';
import type { Var } from '../core/jaxpr';
import { sizeOf } from '../core/shape';
import { ELEMENTWISE_MEMORY, PAD_BYTES } from './elementwise-kernel';
import {
  buildFusedModule,
  elementBytes,
  groupSignature,
  reductionScratchBytes,
} from './fused-kernel';
import { kernelMemory } from './matmul';
import { scratchBase } from './memory';

type Run = (...args: number[]) => void;

/**
 * Runs fused elementwise kernels on the calling thread, over the matmul's memory, so a
 * compiled program's arena (values only its kernels touch) can stay there between
 * kernels. Other inputs are copied in once per group (not once per operation), above
 * `scratchBase()`, the generated kernel runs, and other outputs are copied out. Kernels
 * are cached by the group's canonical text.
 */
interface FusedRuntime {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly kernels: Map<string, Run>;
}

let runtime: FusedRuntime | undefined;

function getRuntime(): FusedRuntime {
  if (runtime === undefined) {
    const km = kernelMemory();
    if (!km) throw new RangeError('fused kernels: WebAssembly SIMD is not available');
    runtime = { memory: km.memory, shared: km.shared, kernels: new Map() };
  }
  return runtime;
}

const padded = (bytes: number) => Math.ceil(bytes / PAD_BYTES) * PAD_BYTES || PAD_BYTES;

/**
 * A fused group bound to its kernel and memory layout: `run(inputs, into) → outputs`.
 * Output `k` goes to `into[k]` where given (a donated buffer, or an offset; then the
 * result holds `undefined` there), else to a new array.
 */
export function fusedKernel(g: FusedGroup): ReturnType<FusedRunner> {
  const rt = getRuntime();
  const key = groupSignature(g);
  let run = rt.kernels.get(key);
  if (run === undefined) {
    const module = new WebAssembly.Module(buildFusedModule(g, rt.shared));
    const instance = new WebAssembly.Instance(module, {
      [ELEMENTWISE_MEMORY.module]: { [ELEMENTWISE_MEMORY.name]: rt.memory },
    });
    run = instance.exports.run as Run;
    rt.kernels.set(key, run);
  }
  const elements = (v: Var) => sizeOf(v.aval.shape);
  // An input read with several patterns (an LSTM's four gate slices) is copied once.
  const copied = [...new Set(g.inputs.map((i) => i.v))];
  const copyFrom = copied.map((v) => g.inputs.findIndex((i) => i.v === v));
  const inSlot = g.inputs.map((i) => copied.indexOf(i.v));
  const inBytes = copied.map((v) => padded(elements(v) * elementBytes(v)));
  const outBytes = g.outputs.map((v) => padded(elements(v) * elementBytes(v)));
  const scratchBytes = g.reductions
    .map(reductionScratchBytes)
    .filter((b) => b > 0)
    .map(padded);
  const kernel = run;
  // run(domain, ...inputs, ...outputs, ...scratch): byte addresses.
  const outArg = 1 + g.inputs.length;
  const args: number[] = new Array(outArg + outBytes.length + scratchBytes.length).fill(0);
  args[0] = g.domain;
  return (inputs, into) => {
    // Operands outside memory are laid out from the scratch base, one after another.
    let top = scratchBase();
    const place = (bytes: number) => {
      const at = top;
      top += bytes;
      return at;
    };
    const at = copyFrom.map((k, c) => {
      const x = inputs[k]!;
      return typeof x === 'number' ? x : place(inBytes[c]!);
    });
    outBytes.forEach((b, k) => {
      const target = into?.[k];
      args[outArg + k] = typeof target === 'number' ? target : place(b);
    });
    scratchBytes.forEach((b, k) => {
      args[outArg + outBytes.length + k] = place(b);
    });
    const bytes = kernelMemory(top)!.u8;
    copyFrom.forEach((k, c) => {
      const x = inputs[k]!;
      if (typeof x !== 'number')
        bytes.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), at[c]!);
    });
    for (let i = 0; i < inSlot.length; i++) args[1 + i] = at[inSlot[i]!]!;
    kernel(...args);
    return g.outputs.map((v, k) => {
      const target = into?.[k];
      if (typeof target === 'number') return undefined;
      const out = target ?? allocate(v.aval.dtype, elements(v), false);
      const from = args[outArg + k]!;
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(
        bytes.subarray(from, from + out.byteLength),
      );
      return out;
    });
  };
}
