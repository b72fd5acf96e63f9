// A test helper shared by the packages whose browser entry must not reach Node built-ins
// (@jute/data, @jute/tune). Tests import it by relative path: it is no package's module,
// so it adds no dependency between packages and never reaches a tarball (only dist/ ships).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * Every bare module specifier reachable from `file` through relative imports (`./x` is
 * read as `./x.ts`): what a bundler has to resolve for that entry.
 * @example reachableImports('packages/tune/src/node.ts') // Set { '@jute/tensor', 'node:fs/promises', ... }
 */
export function reachableImports(file: string, seen = new Set<string>()): Set<string> {
  const specifiers = new Set<string>();
  if (seen.has(file)) return specifiers;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, spec] of source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
    if (spec!.startsWith('.')) {
      for (const s of reachableImports(join(dirname(file), `${spec}.ts`), seen)) specifiers.add(s);
    } else specifiers.add(spec!);
  }
  return specifiers;
}

/**
 * Asserts that `browserEntry` reaches no `node:` module yet does reach `@jute/tensor`,
 * and that the walk finds `node:fs/promises` from `nodeEntry` (so an empty list means a
 * browser-safe entry, not a walk that read nothing).
 * @example expectBrowserSafe(new URL('./browser.ts', import.meta.url), new URL('./index.ts', import.meta.url));
 */
export function expectBrowserSafe(browserEntry: URL, nodeEntry: URL): void {
  const specs = [...reachableImports(fileURLToPath(browserEntry))];
  expect(specs.filter((s) => s.startsWith('node:'))).toEqual([]);
  expect(specs).toContain('@jute/tensor');
  expect([...reachableImports(fileURLToPath(nodeEntry))]).toContain('node:fs/promises');
}
