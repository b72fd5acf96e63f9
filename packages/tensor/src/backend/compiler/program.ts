import type { ConcreteArray } from '../../core/array';
import { ConcreteArray as Concrete } from '../../core/array';
import type { Backend, KernelPrimitive, Program } from '../../core/backend';
import type { TypedArray } from '../../core/dtype';
import { evalPrimitive } from '../../core/eval';
import type { Jaxpr, JaxprEqn, Var } from '../../core/jaxpr';
import type { AbstractValue, Primitive } from '../../core/primitives';
import { type FusedGroup, planFusion, type Step } from './fusion';
import { simplify } from './simplify';

const CONTROL: ReadonlySet<Primitive> = new Set<Primitive>([
  'scan',
  'cond',
  'while',
  'custom_linear',
  'jit_call',
]);

/** Runs a fused group on raw buffers (a backend's generated kernel). */
export type FusedRunner = (g: FusedGroup) => (inputs: readonly TypedArray[]) => TypedArray[];

type Action = (env: (ConcreteArray | undefined)[]) => void;

/**
 * Compiles a constant-free jaxpr into a program: simplified (dead code, common
 * subexpressions), elementwise chains fused into generated kernels when the backend has
 * `fused`, every other equation bound to its kernel in advance, with its output avals
 * computed once. Values are released as soon as their last reader has run.
 */
export function compileProgram(
  jaxpr: Jaxpr,
  backend: Pick<Backend, 'kernels'>,
  fused?: FusedRunner,
): Program {
  const program = simplify(jaxpr);
  const steps: Step[] = fused
    ? planFusion(program)
    : program.eqns.map((eqn) => ({ kind: 'eqn', eqn }));
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
  const actions: Action[] = steps.map((s, k) => {
    const free = [...new Set(reads(s))].filter((v) => lastUse.get(v) === k).map(slotOf);
    const act =
      s.kind === 'eqn' ? eqnAction(s.eqn, backend, slotOf) : fusedAction(s.group, fused!, slotOf);
    if (free.length === 0) return act;
    return (env) => {
      act(env);
      for (const f of free) env[f] = undefined;
    };
  });
  const outSlots = program.outs.map(slotOf);
  const nSlots = slot.size;
  return (inputs) => {
    const env: (ConcreteArray | undefined)[] = new Array(nSlots);
    inSlots.forEach((s, i) => {
      env[s] = inputs[i];
    });
    for (const act of actions) act(env);
    return outSlots.map((s) => env[s]!);
  };
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

function fusedAction(g: FusedGroup, fused: FusedRunner, slotOf: (v: Var) => number): Action {
  const run = fused(g);
  const ins = g.inputs.map((i) => slotOf(i.v));
  const outs = g.outputs.map(slotOf);
  const avals = g.outputs.map((v) => v.aval);
  return (env) => {
    const results = run(ins.map((s) => env[s]!.buffer));
    outs.forEach((s, i) => {
      env[s] = new Concrete(results[i]!, avals[i]!.shape, avals[i]!.dtype);
    });
  };
}
