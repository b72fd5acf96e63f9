import type { Array } from './array';
import { TraceError } from './errors';
import type { AbstractValue, Primitive, PrimitiveParams } from './primitives';
import { shapeRules } from './shape-rules';
import { bind } from './trace';

/** A variable of a jaxpr, typed by its abstract value. */
export class Var {
  private static next = 0;
  readonly id = Var.next++;
  constructor(readonly aval: AbstractValue) {}
  toString(): string {
    return `v${this.id}`;
  }
}

/** One equation: `outs = prim[params] inputs`. */
export interface JaxprEqn<P extends Primitive = Primitive> {
  readonly prim: P;
  readonly inputs: readonly Var[];
  readonly params: PrimitiveParams[P];
  readonly outs: readonly Var[];
}

/**
 * A program in the primitive language (Autodidax's `Jaxpr`): typed input variables,
 * equations in a topological order, outputs. Constants are bound to `constVars`; a
 * `ClosedJaxpr` pairs them with their values.
 */
export interface Jaxpr {
  readonly constVars: readonly Var[];
  readonly inVars: readonly Var[];
  readonly eqns: readonly JaxprEqn[];
  readonly outs: readonly Var[];
}

/** A jaxpr with the values of its constants. */
export interface ClosedJaxpr {
  readonly jaxpr: Jaxpr;
  readonly consts: readonly Array[];
}

/** Evaluates a jaxpr by binding each equation in order (so it runs under any transform). */
export function evalJaxpr(jaxpr: Jaxpr, consts: readonly Array[], args: readonly Array[]): Array[] {
  const env = new Map<Var, Array>();
  jaxpr.constVars.forEach((v, i) => {
    env.set(v, consts[i]!);
  });
  jaxpr.inVars.forEach((v, i) => {
    env.set(v, args[i]!);
  });
  for (const eqn of jaxpr.eqns) {
    const outs = bind(
      eqn.prim,
      eqn.inputs.map((v) => env.get(v)!),
      eqn.params,
    );
    eqn.outs.forEach((v, i) => {
      env.set(v, outs[i]!);
    });
  }
  return jaxpr.outs.map((v) => env.get(v)!);
}

const avalsEqual = (a: AbstractValue, b: AbstractValue): boolean =>
  a.dtype === b.dtype &&
  a.shape.length === b.shape.length &&
  a.shape.every((d, i) => d === b.shape[i]);

const fmtAval = (a: AbstractValue): string => `${a.dtype}[${a.shape.join(',')}]`;

/**
 * Checks that a jaxpr is well formed (Autodidax's `typecheck_jaxpr`): every variable is
 * bound once before it is used, and every equation's output avals are what its
 * primitive's shape rule gives for its inputs. Nested jaxprs are checked too.
 * Throws a `TraceError` naming the equation; returns the output avals.
 */
export function typecheckJaxpr(jaxpr: Jaxpr): AbstractValue[] {
  const bound = new Set<Var>();
  const define = (v: Var, where: string): void => {
    if (bound.has(v)) throw new TraceError(`typecheckJaxpr: ${v} is bound twice (${where})`);
    bound.add(v);
  };
  for (const v of jaxpr.constVars) define(v, 'constants');
  for (const v of jaxpr.inVars) define(v, 'inputs');
  jaxpr.eqns.forEach((eqn, k) => {
    const where = `equation ${k} (${eqn.prim})`;
    for (const v of eqn.inputs) {
      if (!bound.has(v)) throw new TraceError(`typecheckJaxpr: ${where} uses unbound ${v}`);
    }
    let want: AbstractValue[];
    try {
      want = shapeRules[eqn.prim](
        eqn.inputs.map((v) => v.aval),
        eqn.params as never,
      );
    } catch (e) {
      throw new TraceError(`typecheckJaxpr: ${where}: ${(e as Error).message}`);
    }
    if (want.length !== eqn.outs.length) {
      throw new TraceError(
        `typecheckJaxpr: ${where} has ${eqn.outs.length} outputs, its rule gives ${want.length}`,
      );
    }
    eqn.outs.forEach((v, i) => {
      if (!avalsEqual(v.aval, want[i]!)) {
        throw new TraceError(
          `typecheckJaxpr: ${where} output ${i} is ${fmtAval(v.aval)}, its rule gives ${fmtAval(want[i]!)}`,
        );
      }
      define(v, where);
    });
    for (const inner of nestedJaxprs(eqn)) typecheckJaxpr(inner);
  });
  for (const v of jaxpr.outs) {
    if (!bound.has(v)) throw new TraceError(`typecheckJaxpr: output ${v} is unbound`);
  }
  return jaxpr.outs.map((v) => v.aval);
}

/** The jaxprs an equation holds in its params (control-flow bodies, jitted calls). */
export function nestedJaxprs(eqn: JaxprEqn): Jaxpr[] {
  const p = eqn.params as unknown as Record<string, unknown>;
  const found: Jaxpr[] = [];
  for (const key of ['jaxpr', 'bodyJaxpr', 'condJaxpr']) {
    const j = p[key] as ClosedJaxpr | Jaxpr | undefined;
    if (j) found.push('jaxpr' in j ? j.jaxpr : j);
  }
  const branches = p.branchJaxprs as readonly ClosedJaxpr[] | undefined;
  if (branches) found.push(...branches.map((b) => b.jaxpr));
  return found;
}
