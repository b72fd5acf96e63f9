import * as jt from '@jute/tensor';

const PATHS = new WeakMap<Error, { path: string[]; reason: string }>();

/**
 * A `jt.ShapeError` from a layer, before any combinator has added its path.
 * @example throw layerShapeError('dense', `expected ${4} input features, got ${jt.fmtShape(shape)}`);
 */
export function layerShapeError(kind: string, reason: string): jt.ShapeError {
  return new jt.ShapeError(`${kind}: ${reason}`);
}

/** The path (`['block1', 'conv2d_0']`) combinators have attached to an error, if any. */
export const errorPath = (e: unknown): readonly string[] =>
  e instanceof Error ? (PATHS.get(e)?.path ?? []) : [];

/**
 * Runs `f` for the child named `name`; a Jute error it throws is re-thrown, with the same
 * class, prefixed with the child's path: `layer 'block1.conv2d_0': conv2d: expected ...`.
 */
export function inChild<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof jt.JuteError)) throw e;
    const prev = PATHS.get(e);
    const path = [name, ...(prev?.path ?? [])];
    const reason = prev?.reason ?? e.message;
    const Ctor = e.constructor as new (
      message: string,
      options?: { cause?: unknown },
    ) => jt.JuteError;
    const err = new Ctor(`layer '${path.join('.')}': ${reason}`, { cause: e });
    PATHS.set(err, { path, reason });
    throw err;
  }
}

/** Checks the rank of an input shape; `layout` says what the axes mean. */
export function checkRank(
  kind: string,
  shape: jt.Shape,
  rank: number | readonly number[],
  layout: string,
): void {
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (!ranks.includes(shape.length)) {
    throw layerShapeError(
      kind,
      `expected an input of rank ${ranks.join(' or ')} ${layout}, got ${jt.fmtShape(shape)}`,
    );
  }
}

/** Checks the size of the last (feature/channel) axis against what the parameters expect. */
export function checkFeatures(
  kind: string,
  shape: jt.Shape,
  expected: number,
  what = 'input features',
): void {
  const got = shape[shape.length - 1];
  if (got !== expected) {
    throw layerShapeError(
      kind,
      `expected ${expected} ${what} (last axis), got input ${jt.fmtShape(shape)}`,
    );
  }
}
