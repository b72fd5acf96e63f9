import { type Jaxpr, type JaxprEqn, Var } from '../../core/jaxpr';
import { sizeOf } from '../../core/shape';
import { isElementwise, slicePattern } from './fusion';

/**
 * Moves slices above the elementwise operation they read, when slices are all that read
 * its result and they do not overlap: `slice(a + b)` becomes `slice(a) + slice(b)`. An
 * LSTM adds its input and recurrent projections, then slices the sum into four gates;
 * afterwards the gates' kernel reads both projections through slice loads and adds them
 * itself, and the full-width sum is never stored. Only slices a fused kernel can load
 * are moved, so no work is added.
 */
export function sinkSlices(jaxpr: Jaxpr): Jaxpr {
  const readers = new Map<Var, JaxprEqn[]>();
  for (const eqn of jaxpr.eqns) {
    for (const v of eqn.inputs) {
      const list = readers.get(v);
      if (list === undefined) readers.set(v, [eqn]);
      else list.push(eqn);
    }
  }
  const outs = new Set(jaxpr.outs);
  const sunk = new Map<JaxprEqn, JaxprEqn>(); // slice -> the elementwise op it reads
  for (const eqn of jaxpr.eqns) {
    const y = eqn.outs[0]!;
    if (!isElementwise(eqn.prim) || outs.has(y)) continue;
    // Each operand is sliced as the result was, so it must have the result's shape.
    const sameShape = (v: Var) => v.aval.shape.join() === y.aval.shape.join();
    if (!eqn.inputs.every((v) => v.aval.dtype === 'float32' && sameShape(v))) continue;
    const slices = readers.get(y) ?? [];
    if (slices.length === 0 || !slices.every((s) => slicePattern(s) !== undefined)) continue;
    const sliced = slices.reduce((n, s) => n + sizeOf(s.outs[0]!.aval.shape), 0);
    if (sliced > sizeOf(y.aval.shape) || overlap(slices)) continue;
    for (const s of slices) sunk.set(s, eqn);
  }
  if (sunk.size === 0) return jaxpr;
  const eqns = jaxpr.eqns.flatMap((eqn): JaxprEqn[] => {
    const op = sunk.get(eqn);
    if (op === undefined) return [eqn];
    const z = eqn.outs[0]!;
    const parts = op.inputs.map((a) => ({
      prim: 'slice' as const,
      inputs: [a],
      params: eqn.params,
      outs: [new Var({ shape: z.aval.shape, dtype: a.aval.dtype })],
    }));
    return [
      ...parts,
      { prim: op.prim, inputs: parts.map((p) => p.outs[0]!), params: op.params, outs: [z] },
    ];
  });
  // The elementwise ops are dead now; the caller's dead-code pass drops them.
  return { ...jaxpr, eqns };
}

/** Whether two of these last-axis slices share an element. */
function overlap(slices: readonly JaxprEqn[]): boolean {
  const ranges = slices
    .map((s) => slicePattern(s)!.split(':').slice(1, 3).map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0]);
  return ranges.some(([start], i) => i > 0 && start < ranges[i - 1]![0] + ranges[i - 1]![1]);
}
