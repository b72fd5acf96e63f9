/** Switches that change how Jute runs, for debugging (`jt.config`). */
export interface Config {
  /**
   * Check the output of every primitive for NaN and throw a `FloatingPointError` at the
   * first one that produces it, naming the primitive, its shapes and the user's call site
   * (as JAX's `jax_debug_nans`). Compiled (`jit`) programs then run unfused, equation by
   * equation, so the culprit equation is named. Slow: for debugging only. Starts on when
   * the environment has `JUTE_DEBUG_NANS=1`. Arrays whose data lives on a device
   * (WebGPU) are not checked.
   */
  debugNans: boolean;
}

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

/**
 * Jute's run-time switches; set a field to change it.
 * @example
 * jt.config.debugNans = true;
 * jt.log(jt.array([-1])); // FloatingPointError: log produced NaN ... at file.ts:2:4
 */
export const config: Config = { debugNans: env('JUTE_DEBUG_NANS') === '1' };
