import { type JitOptions, jit } from '@jute/autodiff';

/**
 * The one place where the training, validation and decoding steps are compiled: `jit`
 * from `@jute/autodiff` (trace once per signature, replay), or the function itself when
 * `enabled` is false (`--no-jit`), to compare.
 * @example const step = compile(makeStep(), true, { donateArgnums: [0, 1] });
 */
// biome-ignore lint/suspicious/noExplicitAny: any function of arrays and pytrees, as jit takes.
export const compile = <F extends (...args: any[]) => any>(
  f: F,
  enabled: boolean,
  options: JitOptions = {},
): F => (enabled ? jit(f, options) : f);
