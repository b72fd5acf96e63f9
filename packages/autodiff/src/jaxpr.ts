import * as jt from '@jute/tensor';

/** A variable of a jaxpr, typed by its abstract value. */
export class Var {
  private static next = 0;
  readonly id = Var.next++;
  constructor(readonly aval: jt.AbstractValue) {}
  toString(): string {
    return `v${this.id}:${this.aval.dtype}[${this.aval.shape.join(',')}]`;
  }
}

export interface JaxprEqn {
  readonly prim: jt.Primitive;
  readonly inputs: readonly Var[];
  readonly params: unknown;
  readonly outs: readonly Var[];
}

/**
 * A program in the primitive language: the linear part of a function recorded by
 * partial evaluation. Constants are bound to `constVars`.
 */
export interface Jaxpr {
  readonly constVars: readonly Var[];
  readonly inVars: readonly Var[];
  readonly eqns: readonly JaxprEqn[];
  readonly outs: readonly Var[];
}

/** Evaluates a jaxpr by binding each equation in order (so it runs under any transform). */
export function evalJaxpr(
  jaxpr: Jaxpr,
  consts: readonly jt.Array[],
  args: readonly jt.Array[],
): jt.Array[] {
  const env = new Map<Var, jt.Array>();
  jaxpr.constVars.forEach((v, i) => {
    env.set(v, consts[i]!);
  });
  jaxpr.inVars.forEach((v, i) => {
    env.set(v, args[i]!);
  });
  for (const eqn of jaxpr.eqns) {
    const outs = jt.bind(
      eqn.prim,
      eqn.inputs.map((v) => env.get(v)!),
      eqn.params as never,
    );
    eqn.outs.forEach((v, i) => {
      env.set(v, outs[i]!);
    });
  }
  return jaxpr.outs.map((v) => env.get(v)!);
}

/** Text form, for debugging and docs. */
export function jaxprToString(jaxpr: Jaxpr): string {
  const lines = jaxpr.eqns.map(
    (e) => `  ${e.outs.join(' ')} = ${e.prim} ${e.inputs.map((v) => `v${v.id}`).join(' ')}`,
  );
  return `{ lambda ${jaxpr.constVars.map(String).join(' ')} ; ${jaxpr.inVars.map(String).join(' ')} .\n${lines.join('\n')}\n  in ( ${jaxpr.outs.map((v) => `v${v.id}`).join(' ')} ) }`;
}
