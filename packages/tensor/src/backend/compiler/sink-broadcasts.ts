import { evalJaxpr, type Jaxpr, type JaxprEqn, Var } from '../../core/jaxpr';

/**
 * Moves broadcast scalars that a `scan` reads as loop constants into its body. Partial
 * evaluation leaves the constants of a linearized step (the ones of an LSTM's `1 - σ`,
 * at the batch's shape) outside the loop, where they are materialized once and then
 * read in full at every step. Broadcast inside the body instead, a fused kernel keeps
 * each in a register and reads nothing. Nested scans are rewritten too.
 */
export function sinkBroadcastsIntoScans(jaxpr: Jaxpr): Jaxpr {
  if (!jaxpr.eqns.some((e) => e.prim === 'scan')) return jaxpr;
  const producer = new Map<Var, JaxprEqn>();
  for (const e of jaxpr.eqns) for (const v of e.outs) producer.set(v, e);
  const eqns = jaxpr.eqns.map((e) =>
    e.prim === 'scan' ? sinkInto(e as JaxprEqn<'scan'>, producer) : e,
  );
  return { ...jaxpr, eqns };
}

/** A broadcast of a scalar: `broadcast_in_dim` of a rank-0 operand. */
function scalarBroadcast(eqn: JaxprEqn | undefined): eqn is JaxprEqn<'broadcast_in_dim'> {
  return eqn?.prim === 'broadcast_in_dim' && eqn.inputs[0]!.aval.shape.length === 0;
}

function sinkInto(eqn: JaxprEqn<'scan'>, producer: ReadonlyMap<Var, JaxprEqn>): JaxprEqn {
  const p = eqn.params;
  const body = p.bodyJaxpr?.jaxpr;
  if (body === undefined || body.constVars.length > 0) return eqn;
  const inner = sinkBroadcastsIntoScans(body);
  const inputs = [...eqn.inputs];
  const inVars = [...inner.inVars];
  const broadcasts: JaxprEqn[] = [];
  for (let i = 0; i < p.numConsts; i++) {
    const b = producer.get(eqn.inputs[i]!);
    if (!scalarBroadcast(b)) continue;
    const scalar = new Var(b.inputs[0]!.aval);
    broadcasts.push({ ...b, inputs: [scalar], outs: [inner.inVars[i]!] });
    inVars[i] = scalar;
    inputs[i] = b.inputs[0]!;
  }
  if (broadcasts.length === 0 && inner === body) return eqn;
  const newBody: Jaxpr = { ...inner, inVars, eqns: [...broadcasts, ...inner.eqns] };
  return {
    ...eqn,
    inputs,
    params: {
      ...p,
      bodyJaxpr: { jaxpr: newBody, consts: [] },
      body: (args) => evalJaxpr(newBody, [], args),
    },
  } as JaxprEqn;
}
