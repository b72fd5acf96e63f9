import * as jt from '@jute/tensor';

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof jt.Array);

/**
 * Checks that `state` was made by the transformation `op` belongs to: states are
 * plain pytrees with no type tag, so their keys are the tag. Catches the two common
 * slips, an `update` before `init` and a state from another optimizer.
 */
export function expectState<S>(
  op: string,
  state: unknown,
  keys: readonly string[],
): asserts state is S {
  if (state === undefined || state === null) {
    throw new jt.ValueError(
      `${op}: no optimizer state (got ${String(state)}); call init(params) and pass its result to update`,
    );
  }
  const want = `{${[...keys].sort().join(', ')}}`;
  if (!isPlainObject(state)) {
    const got = Array.isArray(state)
      ? `a list of ${state.length}`
      : Object.prototype.toString.call(state);
    throw new jt.ValueError(
      `${op}: expected a state ${want}, got ${got}; the state was made by another transformation`,
    );
  }
  const got = Object.keys(state).sort();
  if (got.length !== keys.length || got.some((k) => !keys.includes(k))) {
    throw new jt.ValueError(
      `${op}: expected a state ${want}, got {${got.join(', ')}}; the state was made by another transformation (pass the state this transformation's init/update returned)`,
    );
  }
}

/** Checks a step counter stored in a state. */
export function expectCount(op: string, name: string, x: unknown): jt.Array {
  if (!(x instanceof jt.Array) || x.ndim !== 0 || x.dtype !== 'int32') {
    const got = x instanceof jt.Array ? `${x.dtype}${jt.fmtShape(x.shape)}` : typeof x;
    throw new jt.ValueError(`${op}: state.${name} must be a scalar int32 array, got ${got}`);
  }
  return x;
}
