/**
 * One `@jute/tensor` per program. Arrays, PRNG keys and tracers are recognised by
 * `instanceof` and module-level state (the interpreter stack, the backend), so a second
 * copy of the package (two versions installed side by side) makes values from one copy
 * look like plain objects to the other, and fails far from the cause ("expected a key
 * ... got object"). Each copy claims a slot on `globalThis` when it loads.
 *
 * Only a different version is refused: the same version evaluated again is what test
 * runners and hot reloading do (`vi.resetModules`), and npm installs one copy per version.
 */

const SLOT = Symbol.for('@jute/tensor/instance');

interface Claim {
  readonly version: string;
}

/**
 * Records that `@jute/tensor` at `version` is loaded, and throws when a copy of another
 * version already is.
 *
 * @example
 * ```ts
 * claimSingleInstance('0.1.0'); // called once by the package entry
 * ```
 * @throws Error naming both versions and the usual fix (a single version of the package).
 */
export function claimSingleInstance(version: string): void {
  const g = globalThis as { [SLOT]?: Claim };
  const held = g[SLOT];
  if (held === undefined) {
    Object.defineProperty(g, SLOT, {
      value: { version },
      enumerable: false,
      configurable: true,
      writable: false,
    });
    return;
  }
  if (held.version === version) return;
  throw new Error(
    `@jute/tensor: two copies of @jute/tensor are loaded in this program (${held.version} ` +
      `and ${version}). Arrays and PRNG keys from one are not recognised by the other. ` +
      'Install a single version: every @jute/* package takes @jute/tensor as a peer ' +
      'dependency, so list it once in your own dependencies (npm ls @jute/tensor shows ' +
      'the copies).',
  );
}
