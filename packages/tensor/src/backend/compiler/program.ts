import { ConcreteArray } from '../../core/array';
import type { Backend, KernelPrimitive, Program } from '../../core/backend';
import { config } from '../../core/config';
import { checkNans } from '../../core/debug-nans';
import { isRecyclable, recycleBuffer, type TypedArray } from '../../core/dtype';
import { evalPrimitive } from '../../core/eval';
import type { Jaxpr, JaxprEqn, Var } from '../../core/jaxpr';
import type { AbstractValue, Primitive } from '../../core/primitives';
import { sizeOf } from '../../core/shape';
import { type FusedGroup, planFusion, type Step } from './fusion';
import { hoistScanAccumulators } from './scan-accumulators';
import { simplify } from './simplify';
import { sinkSlices } from './sink-slices';

const CONTROL: ReadonlySet<Primitive> = new Set<Primitive>([
  'scan',
  'cond',
  'while',
  'custom_linear',
  'jit_call',
]);

/** Runs a fused group on raw buffers (a backend's generated kernel). */
export type FusedRunner = (
  g: FusedGroup,
) => (inputs: readonly TypedArray[], into?: readonly (TypedArray | undefined)[]) => TypedArray[];

type Action = (env: (ConcreteArray | undefined)[]) => void;

/**
 * The steps a constant-free jaxpr compiles to: scan accumulators hoisted, simplified
 * (dead code, common subexpressions) and, with `fuse`, slices sunk and elementwise
 * chains grouped into fused kernels; else one step per equation.
 */
export function planProgram(jaxpr: Jaxpr, fuse: boolean): { program: Jaxpr; steps: Step[] } {
  const hoisted = hoistScanAccumulators(jaxpr);
  // Moving slices up only pays where a fused kernel loads them.
  const program = simplify(fuse ? sinkSlices(hoisted) : hoisted);
  const steps: Step[] = fuse
    ? planFusion(program)
    : program.eqns.map((eqn) => ({ kind: 'eqn', eqn }));
  return { program, steps };
}

/**
 * Compiles a constant-free jaxpr into a program (`planProgram`): elementwise chains fused
 * into generated kernels when the backend has `fused`, every other equation bound to its
 * kernel in advance, with its output avals computed once. Values are released as soon as
 * their last reader has run.
 */
export function compileProgram(
  jaxpr: Jaxpr,
  backend: Pick<Backend, 'kernels'>,
  fused?: FusedRunner,
  donated: readonly boolean[] = [],
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
  const actions: Action[] = steps.map((s) =>
    s.kind === 'eqn'
      ? eqnAction(s.eqn, backend, slotOf)
      : fusedAction(s.group, fused!, slotOf, reuse),
  );
  // The slots each step reads for the last time.
  const frees = steps.map((s, k) =>
    [...new Set(reads(s))].filter((v) => lastUse.get(v) === k).map(slotOf),
  );
  const outSlots = program.outs.map(slotOf);
  const nSlots = slot.size;
  let debug: Program | undefined;
  return (inputs) => {
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
    for (let k = 0; k < actions.length; k++) {
      actions[k]!(env);
      for (const f of frees[k]!) release(env, f, pinned);
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
): Action {
  const run = fused(g);
  const ins = g.inputs.map((i) => slotOf(i.v));
  const outs = g.outputs.map(slotOf);
  const avals = g.outputs.map((v) => v.aval);
  const into = g.outputs.map((v) => {
    const d = reuse.get(v);
    return d === undefined ? undefined : slotOf(d);
  });
  const anyInto = into.some((s) => s !== undefined);
  return (env) => {
    const targets = anyInto
      ? into.map((s) => (s === undefined ? undefined : freshView(env[s]!.buffer)))
      : undefined;
    const results = run(
      ins.map((s) => env[s]!.buffer),
      targets,
    );
    outs.forEach((s, i) => {
      env[s] = new ConcreteArray(results[i]!, avals[i]!.shape, avals[i]!.dtype);
    });
  };
}
