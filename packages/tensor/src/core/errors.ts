/** Base class of every error Jute's numeric code throws. */
export class JuteError extends Error {
  override name = 'JuteError';
}

/** Shapes that do not fit an op: `ShapeError: matmul: contracting dimensions differ: [2,3] @ [4,5]`. */
export class ShapeError extends JuteError {
  override name = 'ShapeError';
}

/** A dtype an op does not accept, or dtypes that do not agree. */
export class DTypeError extends JuteError {
  override name = 'DTypeError';
}

/** Misuse of a transform: a leaked tracer, reading values of a traced array, bad argnums. */
export class TraceError extends JuteError {
  override name = 'TraceError';
}

/** An argument with a valid type but an invalid value (negative size, non-finite step ...). */
export class ValueError extends JuteError {
  override name = 'ValueError';
}

/** Formats a shape the way error messages print it: `[2,3]`. */
export const fmtShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

/**
 * A traced value was read as a concrete one inside `jit` (`.item()`, `.data()`, a JS `if`
 * on a traced bool). Its message names the operation and the ways around it.
 */
export class ConcretizationError extends TraceError {
  override name = 'ConcretizationError';
}

/**
 * An array was read after it was donated to a jitted call (`donateArgnums`): its memory
 * may already hold the call's outputs. Use the outputs instead, as in JAX.
 */
export class DeletedArrayError extends TraceError {
  override name = 'DeletedArrayError';
}

/**
 * With `jt.config.debugNans` on, a primitive produced a NaN. The message names the
 * primitive, its input and output shapes and the user's call site (as JAX's
 * `FloatingPointError` under `jax_debug_nans`).
 */
export class FloatingPointError extends JuteError {
  override name = 'FloatingPointError';
}
