/**
 * The one place where the training and sampling steps are compiled.
 *
 * JIT: `@jute/autodiff` does not export `jit` yet. When it does, this becomes
 * `(f) => jit(f)` (with `donateArgnums` for the parameters and optimizer state of the
 * training step, and the cache of the sampling step), and `--no-jit` compares it with the
 * eager steps. Until then the steps run eagerly either way; both are written as pure
 * functions of their arguments so that nothing else has to change.
 * @example const step = compile(makeStep()); // same signature, same results
 */
export const compile = <F extends (...args: never[]) => unknown>(f: F): F => f;

/** Whether {@link compile} actually compiles (false until `jit` exists), for the report. */
export const jitAvailable = false;
