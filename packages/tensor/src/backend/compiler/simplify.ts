import type { Jaxpr, JaxprEqn, Var } from '../../core/jaxpr';
import type { Primitive } from '../../core/primitives';

/** Equations whose params hold closures or programs: compared by identity, never merged. */
const OPAQUE: ReadonlySet<Primitive> = new Set<Primitive>([
  'scan',
  'cond',
  'while',
  'custom_linear',
  'jit_call',
]);

/** Drops equations none of whose outputs reach the program's outputs (all are pure). */
export function eliminateDeadCode(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>(jaxpr.outs);
  const kept: JaxprEqn[] = [];
  for (let k = jaxpr.eqns.length - 1; k >= 0; k--) {
    const eqn = jaxpr.eqns[k]!;
    if (!eqn.outs.some((v) => live.has(v))) continue;
    kept.push(eqn);
    for (const v of eqn.inputs) live.add(v);
  }
  return { ...jaxpr, eqns: kept.reverse() };
}

/**
 * Common subexpressions: an equation with the same primitive, params and inputs as an
 * earlier one reuses its outputs (the tracer records `x * 2` twice if the user wrote it
 * twice; partial evaluation repeats broadcasts of the same cotangent).
 */
export function eliminateCommonSubexpressions(jaxpr: Jaxpr): Jaxpr {
  const rename = new Map<Var, Var>();
  const seen = new Map<string, JaxprEqn>();
  const eqns: JaxprEqn[] = [];
  const r = (v: Var) => rename.get(v) ?? v;
  for (const e of jaxpr.eqns) {
    const eqn = { ...e, inputs: e.inputs.map(r) };
    if (!OPAQUE.has(eqn.prim)) {
      const key = `${eqn.prim}|${JSON.stringify(eqn.params)}|${eqn.inputs.map((v) => v.id).join(',')}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        eqn.outs.forEach((v, i) => {
          rename.set(v, earlier.outs[i]!);
        });
        continue;
      }
      seen.set(key, eqn);
    }
    eqns.push(eqn);
  }
  return { ...jaxpr, eqns, outs: jaxpr.outs.map(r) };
}

/** The passes every compiled program gets, in order. */
export const simplify = (jaxpr: Jaxpr): Jaxpr =>
  eliminateDeadCode(eliminateCommonSubexpressions(jaxpr));
