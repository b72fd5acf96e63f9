import { evalJaxpr, type Jaxpr, type JaxprEqn, Var } from '../../core/jaxpr';
import type { PrimitiveParams, ScanParams } from '../../core/primitives';

type DotParams = PrimitiveParams['dot_general'];

/** A carry that only accumulates a product: `acc ← acc + a·b`. */
interface Accumulator {
  readonly carry: number;
  readonly add: JaxprEqn;
  readonly dot: JaxprEqn<'dot_general'>;
}

/**
 * Moves products that a `scan` only accumulates out of the loop. The transpose of a
 * recurrent layer's scan adds `hᵀ·δ` into a weight's gradient at every step: 64 small
 * products and 64 additions for 64 steps. When both factors are per-step values (a slice
 * of `xs`, or anything the body computes), the loop instead stacks them as outputs, and
 * one product contracting the step axis too (`Σ_t a_tᵀ b_t`) runs after it. Sums then
 * associate differently: results agree to rounding, not bit for bit.
 */
export function hoistScanAccumulators(jaxpr: Jaxpr): Jaxpr {
  if (!jaxpr.eqns.some((e) => e.prim === 'scan')) return jaxpr;
  const eqns = jaxpr.eqns.flatMap((e) =>
    e.prim === 'scan' ? hoistFromScan(e as JaxprEqn<'scan'>) : [e],
  );
  return { ...jaxpr, eqns };
}

function accumulators(body: Jaxpr, p: ScanParams): Accumulator[] {
  const readers = new Map<Var, number>();
  const count = (v: Var) => readers.set(v, (readers.get(v) ?? 0) + 1);
  for (const e of body.eqns) e.inputs.forEach(count);
  body.outs.forEach(count);
  const producer = new Map<Var, JaxprEqn>();
  for (const e of body.eqns) for (const v of e.outs) producer.set(v, e);
  const consts = new Set(body.inVars.slice(0, p.numConsts));
  const found: Accumulator[] = [];
  for (let c = 0; c < p.numCarry; c++) {
    const acc = body.inVars[p.numConsts + c]!;
    const next = body.outs[c]!;
    const add = producer.get(next);
    if (add?.prim !== 'add' || readers.get(acc) !== 1 || readers.get(next) !== 1) continue;
    const term =
      add.inputs[0] === acc ? add.inputs[1] : add.inputs[1] === acc ? add.inputs[0] : undefined;
    const dot = term === undefined ? undefined : producer.get(term);
    if (dot?.prim !== 'dot_general' || readers.get(term!) !== 1) continue;
    const params = dot.params as DotParams;
    if (params.batch[0].length > 0) continue;
    // A loop constant as a factor would be stacked `length` times for nothing.
    if (dot.inputs.some((v) => consts.has(v))) continue;
    found.push({ carry: c, add, dot: dot as JaxprEqn<'dot_general'> });
  }
  return found;
}

function hoistFromScan(eqn: JaxprEqn<'scan'>): JaxprEqn[] {
  const p = eqn.params;
  const body = p.bodyJaxpr?.jaxpr;
  if (body === undefined || body.constVars.length > 0) return [eqn];
  const found = accumulators(body, p);
  if (found.length === 0) return [eqn];
  const { numConsts: nc, numCarry: nk } = p;
  const hoisted = new Set(found.map((f) => f.carry));
  const dropped = new Set<JaxprEqn>(found.flatMap((f) => [f.add, f.dot]));
  const xsIn = body.inVars.slice(nc + nk);
  const xsOuter = eqn.inputs.slice(nc + nk);
  const ysBody = [...body.outs.slice(nk)];
  const ysOuter = [...eqn.outs.slice(nk)];
  // The stacked form of a per-step value: its slice of xs, or a (new) stacked output.
  const stacked = (v: Var): Var => {
    const x = xsIn.indexOf(v);
    if (x >= 0) return xsOuter[x]!;
    const y = ysBody.indexOf(v);
    if (y >= 0) return ysOuter[y]!;
    ysBody.push(v);
    const out = new Var({ shape: [p.length, ...v.aval.shape], dtype: v.aval.dtype });
    ysOuter.push(out);
    return out;
  };
  const after: JaxprEqn[] = found.map((f) => {
    const dp = f.dot.params;
    const [a, b] = f.dot.inputs.map(stacked) as [Var, Var];
    const total = new Var(f.dot.outs[0]!.aval);
    const shift = (dims: readonly number[]) => [0, ...dims.map((d) => d + 1)];
    return {
      prim: 'dot_general',
      inputs: [a, b],
      params: { ...dp, contract: [shift(dp.contract[0]), shift(dp.contract[1])] },
      outs: [total],
    } as JaxprEqn;
  });
  const finals = found.map(
    (f, k): JaxprEqn => ({
      prim: 'add',
      inputs: [eqn.inputs[nc + f.carry]!, after[k]!.outs[0]!],
      params: {},
      outs: [eqn.outs[f.carry]!],
    }),
  );
  // Drops the hoisted carries from a list whose carries start at `offset`.
  const keep = <T>(xs: readonly T[], offset: number) =>
    xs.filter((_, i) => !hoisted.has(i - offset));
  const newBody: Jaxpr = {
    constVars: [],
    inVars: keep(body.inVars, nc),
    eqns: body.eqns.filter((e) => !dropped.has(e)),
    outs: [...keep(body.outs.slice(0, nk), 0), ...ysBody],
  };
  const scan: JaxprEqn<'scan'> = {
    prim: 'scan',
    inputs: keep(eqn.inputs, nc),
    params: {
      ...p,
      numCarry: nk - found.length,
      yAvals: ysBody.map((v) => v.aval),
      bodyJaxpr: { jaxpr: newBody, consts: [] },
      body: (args) => evalJaxpr(newBody, [], args),
    },
    outs: [...keep(eqn.outs.slice(0, nk), 0), ...ysOuter],
  };
  return [scan, ...after, ...finals];
}
