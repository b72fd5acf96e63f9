import { ConcreteArray } from '../../core/array';
import type { Backend, KernelPrimitive, Program } from '../../core/backend';
import { config } from '../../core/config';
import { checkNans } from '../../core/debug-nans';
import { allocate, isRecyclable, recycleBuffer, type TypedArray } from '../../core/dtype';
import { evalPrimitive } from '../../core/eval';
import type { Jaxpr, JaxprEqn, Var } from '../../core/jaxpr';
import type { AbstractValue, Primitive } from '../../core/primitives';
import { sizeOf } from '../../core/shape';
import { type ArenaPlan, planArena } from './arena';
import { type FusedGroup, planFusion, type Step } from './fusion';
import { hoistScanAccumulators } from './scan-accumulators';
import { simplify } from './simplify';
import { sinkBroadcastsIntoScans } from './sink-broadcasts';
import { sinkSlices } from './sink-slices';

const CONTROL: ReadonlySet<Primitive> = new Set<Primitive>([
  'scan',
  'cond',
  'while',
  'custom_linear',
  'jit_call',
]);

/**
 * Where a kernel operand lies: a typed array, or a byte offset in the memory of a
 * backend's in-place kernels (see `ArenaKernels`).
 */
export type Operand = TypedArray | number;

/**
 * Runs a fused group on raw buffers (a backend's generated kernel). Output `k` is written
 * to `into[k]` where given (a donated buffer, or an offset; the result is then undefined
 * there), else to a new array.
 */
export type FusedRunner = (
  g: FusedGroup,
) => (
  inputs: readonly Operand[],
  into?: readonly (Operand | undefined)[],
) => (TypedArray | undefined)[];

/** A kernel that reads its inputs and writes its outputs where they lie. */
export type InPlaceKernel = (inputs: readonly Operand[], outputs: readonly Operand[]) => void;

/**
 * A backend whose fused kernels and some others (matrix products, im2col) address one
 * memory in place (WebAssembly's). A compiled program keeps the values only they touch in
 * an arena there (`planArena`), a frame on a stack, so nested programs (a scan's body)
 * stack above it.
 */
export interface ArenaKernels {
  /** Claims a frame of `bytes` in the memory (growing it); returns its byte offset. */
  push(bytes: number): number;
  /** Releases the frame at `base`. */
  pop(base: number): void;
  /** The kernel that runs `eqn` where its operands lie, if the backend has one. */
  inPlace(eqn: JaxprEqn): InPlaceKernel | undefined;
}

/** How a compiled program runs: `fused` kernels, an `arena` for them, `donated` inputs. */
export interface ProgramOptions {
  readonly fused?: FusedRunner;
  /** Needs `fused`. */
  readonly arena?: ArenaKernels;
  /** Per input: whether its buffer may be overwritten (fused outputs written in place). */
  readonly donated?: readonly boolean[];
}

/**
 * A step of a compiled program. The frame's byte offset is passed to every step (0 without
 * an arena), and the caller's buffers for the program's outputs (see `Program`).
 */
type Action = (
  env: (ConcreteArray | undefined)[],
  frame: number,
  into: readonly (TypedArray | undefined)[] | undefined,
) => void;

/** Where a step's outputs go: an arena offset, or the index of a program output. */
interface Places {
  readonly offset: ReadonlyMap<Var, number>;
  /** The program output a value is (its first place among them), unless it is an input. */
  readonly output: ReadonlyMap<Var, number>;
}

/**
 * The steps a constant-free jaxpr compiles to: scan accumulators hoisted, simplified
 * (dead code, common subexpressions) and, with `fuse`, slices sunk, broadcast scalars
 * moved into the loops that read them, and elementwise chains grouped into fused
 * kernels; else one step per equation.
 */
export function planProgram(jaxpr: Jaxpr, fuse: boolean): { program: Jaxpr; steps: Step[] } {
  const hoisted = hoistScanAccumulators(jaxpr);
  // Moving slices up and broadcasts into loops only pays where a fused kernel loads them.
  const program = simplify(fuse ? sinkSlices(sinkBroadcastsIntoScans(hoisted)) : hoisted);
  const steps: Step[] = fuse
    ? planFusion(program)
    : program.eqns.map((eqn) => ({ kind: 'eqn', eqn }));
  return { program, steps };
}

/**
 * Compiles a constant-free jaxpr into a program (`planProgram`): elementwise chains fused
 * into generated kernels when the backend has `fused`, every other equation bound to its
 * kernel in advance, with its output avals computed once. With an `arena`, values only
 * in-place kernels touch stay in it; other values are released as soon as their last
 * reader has run.
 */
export function compileProgram(
  jaxpr: Jaxpr,
  backend: Pick<Backend, 'kernels'>,
  { fused, arena, donated = [] }: ProgramOptions = {},
): Program {
  const { program, steps } = planProgram(jaxpr, fused !== undefined);
  const slot = new Map<Var, number>();
  const slotOf = (v: Var) => {
    let s = slot.get(v);
    if (s === undefined) {
      s = slot.size;
      slot.set(v, s);
    }
    return s;
  };
  const inSlots = program.inVars.map(slotOf);
  // The step after which each value is read no more (program outputs: never released).
  const lastUse = new Map<Var, number>();
  const reads = (s: Step): readonly Var[] =>
    s.kind === 'eqn' ? s.eqn.inputs : s.group.inputs.map((i) => i.v);
  steps.forEach((s, k) => {
    for (const v of reads(s)) lastUse.set(v, k);
  });
  for (const v of program.outs) lastUse.set(v, Number.POSITIVE_INFINITY);
  const reuse = donatedReuse(program, steps, donated, lastUse);
  const inPlace = new Map<JaxprEqn, InPlaceKernel>();
  if (arena && fused) {
    for (const s of steps) {
      if (s.kind !== 'eqn') continue;
      const kernel = arena.inPlace(s.eqn);
      if (kernel) inPlace.set(s.eqn, kernel);
    }
  }
  const plan: ArenaPlan | undefined =
    arena && fused
      ? planArena(program, steps, new Set(inPlace.keys()), new Set(reuse.keys()))
      : undefined;
  const offset = plan?.offset ?? new Map<Var, number>();
  const output = new Map<Var, number>();
  program.outs.forEach((v, k) => {
    if (!output.has(v) && !program.inVars.includes(v)) output.set(v, k);
  });
  const places: Places = { offset, output };
  const actions: (Action | undefined)[] = steps.map((s) => {
    if (s.kind === 'fused') return fusedAction(s.group, fused!, slotOf, reuse, places);
    const { eqn } = s;
    // A reshape of a value in the arena is the same bytes: nothing to run.
    if (eqn.prim === 'reshape' && offset.has(eqn.outs[0]!)) return undefined;
    const kernel = inPlace.get(eqn);
    if (kernel && [...eqn.inputs, ...eqn.outs].some((v) => offset.has(v)))
      return inPlaceAction(eqn, kernel, places, slotOf);
    return eqnAction(eqn, backend, slotOf);
  });
  // The slots each step reads for the last time.
  const frees = steps.map((s, k) =>
    [...new Set(reads(s))].filter((v) => lastUse.get(v) === k).map(slotOf),
  );
  const outSlots = program.outs.map(slotOf);
  const nSlots = slot.size;
  const frameBytes = plan?.bytes ?? 0;
  let debug: Program | undefined;
  return (inputs, into) => {
    // Checked per call, so switching debugNans on affects programs compiled before.
    if (config.debugNans) {
      debug ??= debugProgram(program, backend);
      return debug(inputs);
    }
    const env: (ConcreteArray | undefined)[] = new Array(nSlots);
    inSlots.forEach((s, i) => {
      env[s] = inputs[i];
    });
    // The caller's buffers are never recycled, even where a view of one dies here.
    const pinned = new Set<ArrayBufferLike>();
    for (const x of inputs) if (isRecyclable(x.buffer.buffer)) pinned.add(x.buffer.buffer);
    const frame = frameBytes > 0 ? arena!.push(frameBytes) : 0;
    try {
      for (let k = 0; k < actions.length; k++) {
        actions[k]?.(env, frame, into);
        for (const f of frees[k]!) release(env, f, pinned);
      }
    } finally {
      if (frameBytes > 0) arena!.pop(frame);
    }
    return outSlots.map((s) => env[s]!);
  };
}

/**
 * The program for `jt.config.debugNans`: no fusion, one equation at a time, each output
 * checked for NaN, so the error names the equation that produced the first one.
 */
function debugProgram(program: Jaxpr, backend: Pick<Backend, 'kernels'>): Program {
  const names = new Map<Var, string>();
  const name = (v: Var) => {
    let n = names.get(v);
    if (n === undefined) {
      n = `v${names.size}`;
      names.set(v, n);
    }
    return n;
  };
  program.inVars.forEach(name);
  const text = program.eqns.map(
    (e, k) =>
      `equation ${k + 1} of ${program.eqns.length} of a compiled program ` +
      `(${e.outs.map(name).join(' ')} = ${e.prim} ${e.inputs.map(name).join(' ')})`,
  );
  return (inputs) => {
    const env = new Map<Var, ConcreteArray>();
    program.inVars.forEach((v, i) => {
      env.set(v, inputs[i]!);
    });
    program.eqns.forEach((eqn, k) => {
      const ins = eqn.inputs.map((v) => env.get(v)!);
      const outs = CONTROL.has(eqn.prim)
        ? (evalPrimitive(eqn.prim, ins, eqn.params) as ConcreteArray[])
        : (
            backend.kernels[eqn.prim as KernelPrimitive] as (
              inputs: ConcreteArray[],
              params: unknown,
              outAvals: readonly AbstractValue[],
            ) => ConcreteArray[]
          )(
            ins,
            eqn.params,
            eqn.outs.map((v) => v.aval),
          );
      checkNans(eqn.prim, ins, outs, text[k]);
      eqn.outs.forEach((v, i) => {
        env.set(v, outs[i]!);
      });
    });
    return program.outs.map((v) => env.get(v)!);
  };
}

/**
 * Drops a value the program reads no more. Its buffer goes back for reuse unless the
 * caller owns it or another live value is a view of it (a reshape shares its buffer).
 */
function release(
  env: (ConcreteArray | undefined)[],
  slot: number,
  pinned: ReadonlySet<ArrayBufferLike>,
): void {
  const x = env[slot];
  env[slot] = undefined;
  if (x === undefined) return;
  const memory = x.buffer.buffer;
  if (!isRecyclable(memory) || pinned.has(memory)) return;
  for (const y of env) if (y !== undefined && y.buffer.buffer === memory) return;
  recycleBuffer(memory);
}

function eqnAction(
  eqn: JaxprEqn,
  backend: Pick<Backend, 'kernels'>,
  slotOf: (v: Var) => number,
): Action {
  const ins = eqn.inputs.map(slotOf);
  const outs = eqn.outs.map(slotOf);
  const outAvals: AbstractValue[] = eqn.outs.map((v) => v.aval);
  const gather = (env: (ConcreteArray | undefined)[]) => ins.map((s) => env[s]!);
  if (CONTROL.has(eqn.prim)) {
    return (env) => {
      const results = evalPrimitive(eqn.prim, gather(env), eqn.params);
      outs.forEach((s, i) => {
        env[s] = results[i] as ConcreteArray;
      });
    };
  }
  const kernel = backend.kernels[eqn.prim as KernelPrimitive] as (
    inputs: ConcreteArray[],
    params: unknown,
    outAvals: readonly AbstractValue[],
  ) => ConcreteArray[];
  const params = eqn.params;
  if (outs.length === 1) {
    const o = outs[0]!;
    return (env) => {
      env[o] = kernel(gather(env), params, outAvals)[0];
    };
  }
  return (env) => {
    const results = kernel(gather(env), params, outAvals);
    outs.forEach((s, i) => {
      env[s] = results[i];
    });
  };
}

/**
 * Outputs of fused groups that may be written into a donated input's buffer: same size
 * and dtype, and neither the input nor any view of it (a reshape shares its buffer) is
 * read after that group or returned. `params ← params − lr·update` then allocates nothing.
 */
function donatedReuse(
  program: Jaxpr,
  steps: readonly Step[],
  donated: readonly boolean[],
  lastUse: ReadonlyMap<Var, number>,
): Map<Var, Var> {
  const reuse = new Map<Var, Var>();
  const candidates = program.inVars.filter((_, i) => donated[i]);
  if (candidates.length === 0) return reuse;
  // Views: values that may share a buffer with an input.
  const root = new Map<Var, Var>();
  const rootOf = (v: Var): Var => root.get(v) ?? v;
  for (const eqn of program.eqns) {
    if (eqn.prim === 'reshape' || eqn.prim === 'stop_gradient')
      root.set(eqn.outs[0]!, rootOf(eqn.inputs[0]!));
  }
  const lastOfClass = new Map<Var, number>();
  for (const [v, k] of lastUse) {
    const r = rootOf(v);
    lastOfClass.set(r, Math.max(lastOfClass.get(r) ?? -1, k));
  }
  const free = new Set(candidates);
  steps.forEach((s, k) => {
    if (s.kind !== 'fused') return;
    for (const out of s.group.outputs) {
      const d = [...free].find(
        (c) =>
          c.aval.dtype === out.aval.dtype &&
          sizeOf(c.aval.shape) === sizeOf(out.aval.shape) &&
          (lastOfClass.get(c) ?? -1) <= k,
      );
      if (d !== undefined) {
        reuse.set(out, d);
        free.delete(d);
      }
    }
  });
  return reuse;
}

/**
 * A new typed array over the same memory. A donated buffer is overwritten in place, so its
 * new contents must not be mistaken for the old: caches keyed by the array object (the
 * matmul's packed weights) would otherwise serve the old values.
 */
function freshView(x: TypedArray): TypedArray {
  const View = x.constructor as new (b: ArrayBufferLike, at: number, n: number) => TypedArray;
  return new View(x.buffer, x.byteOffset, x.length);
}

function fusedAction(
  g: FusedGroup,
  fused: FusedRunner,
  slotOf: (v: Var) => number,
  reuse: ReadonlyMap<Var, Var>,
  places: Places,
): Action {
  const run = fused(g);
  const ins = g.inputs.map((i) => slotOf(i.v));
  const inAt = g.inputs.map((i) => places.offset.get(i.v));
  const outs = g.outputs.map(slotOf);
  const avals = g.outputs.map((v) => v.aval);
  const outAt = g.outputs.map((v) => places.offset.get(v));
  const donated = g.outputs.map((v) => {
    const d = reuse.get(v);
    return d === undefined ? undefined : slotOf(d);
  });
  const output = g.outputs.map((v) => places.output.get(v));
  const anyTarget = [...donated, ...outAt, ...output].some((x) => x !== undefined);
  return (env, frame, into) => {
    // Each output goes to its arena offset, a donated buffer, the caller's buffer, or
    // else a new array.
    const targets = anyTarget
      ? donated.map((s, k) => {
          const at = outAt[k];
          if (at !== undefined) return frame + at;
          if (s !== undefined) return freshView(env[s]!.buffer);
          const o = output[k];
          return o === undefined ? undefined : into?.[o];
        })
      : undefined;
    const results = run(
      ins.map((s, k) => {
        const at = inAt[k];
        return at === undefined ? env[s]!.buffer : frame + at;
      }),
      targets,
    );
    outs.forEach((s, i) => {
      const r = results[i];
      if (r !== undefined) env[s] = new ConcreteArray(r, avals[i]!.shape, avals[i]!.dtype);
    });
  };
}

/**
 * An equation with an operand or a result in the arena, run by the backend's in-place
 * kernel: arena values are read and written where they lie, others as arrays (a
 * program output into the caller's buffer where there is one).
 */
function inPlaceAction(
  eqn: JaxprEqn,
  kernel: InPlaceKernel,
  places: Places,
  slotOf: (v: Var) => number,
): Action {
  const ins = eqn.inputs.map((v) => ({ slot: slotOf(v), at: places.offset.get(v) }));
  const outs = eqn.outs.map((v) => ({
    slot: slotOf(v),
    at: places.offset.get(v),
    output: places.output.get(v),
    aval: v.aval,
  }));
  return (env, frame, into) => {
    const results = outs.map(({ at, output, aval }) => {
      if (at !== undefined) return frame + at;
      const target = output === undefined ? undefined : into?.[output];
      return target ?? allocate(aval.dtype, sizeOf(aval.shape), false);
    });
    kernel(
      ins.map(({ slot, at }) => (at === undefined ? env[slot]!.buffer : frame + at)),
      results,
    );
    outs.forEach(({ slot, aval }, i) => {
      const r = results[i]!;
      if (typeof r !== 'number') env[slot] = new ConcreteArray(r, aval.shape, aval.dtype);
    });
  };
}
