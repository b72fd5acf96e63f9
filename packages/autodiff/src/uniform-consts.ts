import type * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';

/** Whether every element of `x` has the bits of its first (size above 1). */
function isUniform(x: jc.ConcreteArray): boolean {
  if (x.size < 2) return false;
  const b = x.buffer;
  const bits =
    b instanceof Uint8Array
      ? b
      : b instanceof Float64Array
        ? new BigInt64Array(b.buffer, b.byteOffset, b.length)
        : new Int32Array(b.buffer, b.byteOffset, b.length);
  const first = bits[0]!;
  for (let i = 1; i < bits.length; i++) if (bits[i] !== first) return false;
  return true;
}

/**
 * Constants whose elements are all equal (the zeros of a ReLU's gradient, an optimizer's
 * decay rates broadcast to a weight's shape) become a scalar constant and a
 * `broadcast_in_dim` equation. Operations on concrete values run while tracing, so such
 * arrays arrive materialized; kept as constants, every call would read megabytes of one
 * repeated number, where a fused kernel reads a broadcast scalar from a register.
 */
export function uniformConstsAsBroadcasts(
  consts: readonly jt.Array[],
  constVars: readonly jc.Var[],
  eqns: readonly jc.JaxprEqn[],
): { consts: jt.Array[]; constVars: jc.Var[]; eqns: jc.JaxprEqn[] } {
  const broadcasts: jc.JaxprEqn[] = [];
  const outConsts: jt.Array[] = [];
  const outVars: jc.Var[] = [];
  consts.forEach((c, i) => {
    const v = constVars[i]!;
    if (!(c instanceof jc.ConcreteArray) || !isUniform(c)) {
      outConsts.push(c);
      outVars.push(v);
      return;
    }
    const scalar = new jc.Var({ shape: [], dtype: c.dtype });
    outConsts.push(new jc.ConcreteArray(c.buffer.slice(0, 1), [], c.dtype));
    outVars.push(scalar);
    // The broadcast defines the constant's own variable, so no reader changes.
    broadcasts.push({
      prim: 'broadcast_in_dim',
      inputs: [scalar],
      params: { shape: c.shape, dims: [] },
      outs: [v],
    });
  });
  return { consts: outConsts, constVars: outVars, eqns: [...broadcasts, ...eqns] };
}
