import { readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const docsDir = fileURLToPath(new URL('..', import.meta.url));
const id = 'virtual:jute-run-modules';
const resolved = `\0${id}`;

/** The fp-ts modules a page's code may import (`fp-ts/function`, `fp-ts/lib/Either.js`, ...). */
const fpTsModules = [
  'function',
  'Either',
  'TaskEither',
  'Task',
  'Option',
  'Array',
  'ReadonlyArray',
  'Record',
  'number',
  'string',
];

/**
 * The library packages the docs depend on (`workspace:*` dependencies under `packages/`):
 * every one of them is importable from a Run button, the ones added later included.
 */
export function libraryPackages(): string[] {
  const pkg = JSON.parse(readFileSync(join(docsDir, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  const deps = { ...pkg.devDependencies, ...pkg.dependencies };
  return Object.entries(deps)
    .filter(([, spec]) => spec.startsWith('workspace:'))
    .map(([name]) => name)
    .filter((name) => {
      const dir = realpathSync(join(docsDir, 'node_modules', name));
      return relative(join(docsDir, '..', 'packages'), dir).split(/[\\/]/).length === 1;
    })
    .sort();
}

/** The module `virtual:jute-run-modules`: a lazy loader per importable specifier. */
export function runModulesSource(): string {
  const specs = [...libraryPackages(), ...fpTsModules.map((m) => `fp-ts/${m}`)];
  const lines = specs.map((s) => `  ${JSON.stringify(s)}: () => import(${JSON.stringify(s)}),`);
  return `export const loaders = {\n${lines.join('\n')}\n};\n`;
}

/** The part of a Vite plugin this one uses. */
interface VirtualModulePlugin {
  readonly name: string;
  resolveId(source: string): string | undefined;
  load(module: string): string | undefined;
}

/** Serves `virtual:jute-run-modules` to the Run buttons' worker. */
export function runModulesPlugin(): VirtualModulePlugin {
  return {
    name: 'jute-run-modules',
    resolveId: (source: string) => (source === id ? resolved : undefined),
    load: (module: string) => (module === resolved ? runModulesSource() : undefined),
  };
}

/** The part of a Vite plugin {@link keepEntrySideEffects} uses. */
interface ResolvePlugin {
  readonly name: string;
  readonly enforce: 'pre';
  resolveId(
    this: {
      resolve(
        source: string,
        importer: string | undefined,
        options: { skipSelf: boolean },
      ): Promise<{ id: string } | null>;
    },
    source: string,
    importer: string | undefined,
  ): Promise<{ id: string; moduleSideEffects: true } | undefined>;
}

/**
 * `@jute/tensor`'s entry chooses the default backend when it loads, but its package.json says
 * `"sideEffects": false`, so a bundler that reaches its exports through the entry may drop
 * that call ("no backend" in the playground). Until the package says otherwise, the site
 * marks the Jute entries as having side effects.
 */
export function keepEntrySideEffects(): ResolvePlugin {
  return {
    name: 'jute-keep-entry-side-effects',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!/^@jute\/[\w-]+$/.test(source)) return undefined;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? { id: resolved.id, moduleSideEffects: true } : undefined;
    },
  };
}
