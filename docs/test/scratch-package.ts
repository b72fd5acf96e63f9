import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, transform } from 'esbuild';
import { docsRoot } from './markdown';

/**
 * A reader's project in a temporary folder: `node_modules/@jute/*` hold the workspace packages
 * built the way they are published (ESM from `src/` into `dist/`, one file per export), with
 * `package.json` files that carry no `@jute/source` condition, and their third-party
 * dependencies linked beside them. Code run there resolves `@jute/tensor` exactly as it would
 * after `npm install @jute/tensor`: through Node's resolution of the `import` export.
 */
export interface ScratchPackage {
  /** The project root (holds `package.json` and `node_modules`). */
  readonly dir: string;
  /** The `@jute/*` packages installed, by name. */
  readonly packages: readonly string[];
  /** Removes the folder. */
  readonly remove: () => void;
}

interface PackageJson {
  readonly name: string;
  readonly version?: string;
  readonly exports?: Record<string, unknown>;
  readonly dependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}

const readJson = (file: string): PackageJson =>
  JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

/** An export target with the `@jute/source` condition taken out (recursively). */
function withoutSource(target: unknown): unknown {
  if (typeof target !== 'object' || target === null) return target;
  return Object.fromEntries(
    Object.entries(target)
      .filter(([k]) => k !== '@jute/source')
      .map(([k, v]) => [k, withoutSource(v)]),
  );
}

/** The file a condition map points at for `condition`, if it is a plain string there. */
function pick(target: unknown, condition: string): string | undefined {
  if (typeof target === 'string') return target;
  if (typeof target !== 'object' || target === null) return undefined;
  const v = (target as Record<string, unknown>)[condition];
  return typeof v === 'string' ? v : undefined;
}

/** Every file an export target names, with the conditions on the way to it. */
function leaves(target: unknown, path: readonly string[] = []): Array<[string[], string]> {
  if (typeof target === 'string') return [[[...path], target]];
  if (typeof target !== 'object' || target === null) return [];
  return Object.entries(target).flatMap(([k, v]) =>
    k === '@jute/source' || k === 'types' ? [] : leaves(v, [...path, k]),
  );
}

/**
 * The published entry files of a package and the sources they are built from: for each export,
 * every `.js` file under `dist/` it names, paired with the `@jute/source` file for the same
 * conditions (`browser` picks the browser source). Exports that name no `dist/` file (an app
 * shipping its TypeScript sources) are not publishable libraries and yield nothing.
 */
export function distEntries(pkg: PackageJson): Array<{ out: string; src: string }> {
  const entries = new Map<string, string>();
  for (const target of Object.values(pkg.exports ?? {})) {
    if (typeof target !== 'object' || target === null) continue;
    const source = (target as Record<string, unknown>)['@jute/source'];
    for (const [conditions, out] of leaves(target)) {
      const src =
        typeof source === 'string'
          ? source
          : conditions.includes('browser')
            ? (pick(source, 'browser') ?? pick(source, 'default'))
            : (pick(source, 'node') ?? pick(source, 'import') ?? pick(source, 'default'));
      const name = out.slice('./dist/'.length, -'.js'.length);
      if (
        out.startsWith('./dist/') &&
        out.endsWith('.js') &&
        src !== undefined &&
        !entries.has(name)
      ) {
        entries.set(name, src);
      }
    }
  }
  return [...entries].map(([out, src]) => ({ out, src }));
}

/** The workspace packages the docs depend on: name and folder. */
function workspacePackages(): Array<{ name: string; dir: string }> {
  const docs = readJson(join(docsRoot, 'package.json'));
  const deps = { ...(docs.devDependencies as Record<string, string>), ...docs.dependencies };
  return Object.entries(deps)
    .filter(([, spec]) => spec.startsWith('workspace:'))
    .map(([name]) => ({ name, dir: realpathSync(join(docsRoot, 'node_modules', name)) }));
}

/** esbuild's build, failing with the package's name and esbuild's first message. */
async function buildPackage(name: string, options: Parameters<typeof build>[0]): Promise<void> {
  try {
    await build(options);
  } catch (err) {
    const first = (
      err as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }
    ).errors?.[0];
    const at = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new Error(`building ${name} as published failed: ${first?.text ?? String(err)}${at}`);
  }
}

const link = (target: string, at: string): void => {
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
};

/**
 * Builds the scratch project. Takes about a second: esbuild bundles each package's own
 * modules (never its dependencies, which stay imports, as in the published `dist/`).
 */
export async function createScratchPackage(): Promise<ScratchPackage> {
  const dir = mkdtempSync(join(tmpdir(), 'jute-docs-reader-'));
  const modules = join(dir, 'node_modules');
  const installed: string[] = [];
  const thirdParty = new Map<string, string>();
  try {
    for (const { name, dir: pkgDir } of workspacePackages()) {
      const pkg = readJson(join(pkgDir, 'package.json'));
      const entries = distEntries(pkg);
      if (entries.length === 0) continue;
      const target = join(modules, name);
      await buildPackage(name, {
        entryPoints: entries.map((e) => ({ in: join(pkgDir, e.src), out: e.out })),
        outdir: join(target, 'dist'),
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'es2022',
        packages: 'external',
        sourcemap: 'inline',
        logLevel: 'silent',
      });
      const { devDependencies: _dev, scripts: _scripts, ...published } = pkg;
      writeFileSync(
        join(target, 'package.json'),
        JSON.stringify({ ...published, exports: withoutSource(pkg.exports) }, null, 2),
      );
      for (const dep of Object.keys(pkg.dependencies ?? {})) {
        if (!dep.startsWith('@jute/') && !thirdParty.has(dep)) {
          thirdParty.set(dep, realpathSync(join(pkgDir, 'node_modules', dep)));
        }
      }
      installed.push(name);
    }
    // What the pages import besides Jute (fp-ts), as the reader would have installed it.
    const docs = readJson(join(docsRoot, 'package.json'));
    thirdParty.set('fp-ts', realpathSync(join(docsRoot, 'node_modules', 'fp-ts')));
    for (const [dep, from] of thirdParty) link(from, join(modules, dep));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify(
        {
          name: 'jute-docs-reader',
          private: true,
          type: 'module',
          dependencies: Object.fromEntries([
            ...installed.map((n) => [n, readJson(join(modules, n, 'package.json')).version]),
            ['fp-ts', (docs.devDependencies as Record<string, string>)['fp-ts']],
          ]),
        },
        null,
        2,
      ),
    );
    // The tutorials' figure helper, saved beside the pages' code as the reader saves it
    // (`import { plot } from './plot.js'`), types stripped.
    const plot = await transform(readFileSync(join(docsRoot, 'tutorials', 'plot.ts'), 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
    });
    mkdirSync(join(dir, 'pages'), { recursive: true });
    writeFileSync(join(dir, 'pages', 'plot.js'), plot.code);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    packages: installed,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
