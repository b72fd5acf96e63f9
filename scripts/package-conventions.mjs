#!/usr/bin/env node
// The package.json conventions of every published @jute/* package, in one place.
//
//   node scripts/package-conventions.mjs          rewrite packages/*/package.json to follow them
//   node scripts/package-conventions.mjs --check  exit 1 and list what differs (CI)
//   node scripts/package-conventions.mjs packages/x  only the packages named
//
// Why each rule exists:
// - Inside the workspace, `exports` start with the `@jute/source` condition so tests, type
//   checks and apps run on sources without a build. That condition must never reach npm
//   (a consumer whose tooling sets it gets `.ts` files), so `publishConfig` carries the
//   published `exports`/`main`/`types`, which pnpm substitutes when it packs or publishes.
// - Only `dist/` is published (README and LICENSE are added by npm itself).
// - Every @jute/* package a package builds on is a peer dependency (plus a workspace dev
//   dependency for local linking): a program must hold exactly one @jute/tensor, and exact
//   pins made npm install a second copy whenever versions drifted.
// - `prepack` builds, so a clean checkout cannot publish a package without `dist/`.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the project is published from; homepage and issue links derive from it. */
export const REPOSITORY = 'https://github.com/jute-ml/jute';

// @jute/tensor's entry wires its layers at load (the op library behind Array's methods,
// the default backend): bundlers must keep that module's top-level code.
const SIDE_EFFECTS = { '@jute/tensor': ['./src/index.ts', './dist/index.js'] };
export const NODE_ENGINES = '>=20';
const COMMON_KEYWORDS = ['jute', 'machine-learning', 'typescript', 'webassembly'];
/** Extra keywords per package (npm search finds packages by these). */
const KEYWORDS = {
  '@jute/tensor': ['tensor', 'ndarray', 'numpy', 'jax', 'autodiff', 'simd'],
  '@jute/autodiff': ['autodiff', 'automatic-differentiation', 'gradient', 'jax', 'vmap'],
  '@jute/nn': ['neural-network', 'deep-learning', 'layers', 'cnn', 'lstm', 'attention'],
  '@jute/optim': ['optimizer', 'adam', 'sgd', 'optax', 'learning-rate-schedule'],
  '@jute/losses': ['loss-function', 'cross-entropy', 'deep-learning'],
  '@jute/metrics': ['metrics', 'accuracy', 'f1', 'roc-auc', 'confusion-matrix'],
  '@jute/data': ['dataset', 'data-pipeline', 'csv', 'safetensors', 'fp-ts'],
  '@jute/datasets': ['dataset', 'mnist', 'moby-dick', 'corpus'],
  '@jute/tune': ['hyperparameter-tuning', 'hyperparameter-optimization', 'tpe', 'asha'],
  '@jute/adversarial': ['adversarial-examples', 'fgsm', 'pgd', 'robustness'],
};

/** The `exports` entry of one subpath, for development and for publishing. */
function entry(dev) {
  if (typeof dev === 'string') return { dev, published: dev };
  const source = dev['@jute/source'];
  const types = dev.types;
  const js = dev.import ?? dev.default;
  // Two builds of one subpath (Node with file loaders, a browser-safe one): each build
  // names its own types, so a browser import of a Node-only export fails to type-check
  // instead of failing in the bundler. Without the `node` condition (TypeScript's
  // `bundler` resolution, browser bundlers) the browser build is the default.
  const browser = dev.browser;
  if (browser !== undefined) {
    const browserJs = typeof browser === 'string' ? browser : browser.default;
    const browserTypes = browserJs.replace(/\.js$/, '.d.ts');
    const nodeEntry = dev.node ?? { types, default: js };
    const published = {
      browser: { types: browserTypes, default: browserJs },
      node: { types: nodeEntry.types, default: nodeEntry.default },
      types: browserTypes,
      default: browserJs,
    };
    return { dev: { '@jute/source': source, ...published }, published };
  }
  const published = { types, import: js, default: js };
  return {
    dev: source === undefined ? published : { '@jute/source': source, ...published },
    published,
  };
}

/** The package.json `pkg` (of the package in `dir`) as the conventions want it. */
export function conventional(pkg, dir) {
  const name = pkg.name;
  const exportsDev = {};
  const exportsPublished = {};
  for (const [subpath, value] of Object.entries(pkg.exports ?? {})) {
    const { dev, published } = entry(value);
    exportsDev[subpath] = dev;
    exportsPublished[subpath] = published;
  }
  const main = exportsPublished['.'];
  const mainJs = main?.node?.default ?? main?.import ?? './dist/index.js';
  const mainTypes = main?.node?.types ?? main?.types ?? './dist/index.d.ts';

  const dependencies = { ...(pkg.dependencies ?? {}) };
  const peerDependencies = { ...(pkg.peerDependencies ?? {}) };
  const devDependencies = { ...(pkg.devDependencies ?? {}) };
  for (const dep of Object.keys(dependencies)) {
    if (!dep.startsWith('@jute/')) continue;
    delete dependencies[dep];
    peerDependencies[dep] = 'workspace:^';
  }
  for (const dep of Object.keys(peerDependencies)) {
    if (dep.startsWith('@jute/')) devDependencies[dep] = 'workspace:*';
  }
  const sorted = (o) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const keywords = [
    ...new Set([...COMMON_KEYWORDS, ...(KEYWORDS[name] ?? []), ...(pkg.keywords ?? [])]),
  ];

  const out = {
    name,
    version: pkg.version,
    description: pkg.description,
    keywords,
    homepage: `${REPOSITORY}/tree/main/${dir}#readme`,
    bugs: `${REPOSITORY}/issues`,
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: dir },
    license: 'MIT',
    author: 'The Jute authors',
    type: 'module',
    sideEffects: SIDE_EFFECTS[name] ?? false,
    engines: { node: NODE_ENGINES },
    exports: exportsDev,
    main: mainJs,
    types: mainTypes,
    files: ['dist'],
    publishConfig: {
      access: 'public',
      exports: exportsPublished,
      main: mainJs,
      types: mainTypes,
    },
    scripts: { ...(pkg.scripts ?? {}), prepack: 'tsup' },
  };
  // Anything else the package declares (bin, browser field, ...) is kept as it is.
  for (const [k, v] of Object.entries(pkg)) {
    if (!(k in out) && !['dependencies', 'peerDependencies', 'devDependencies'].includes(k)) {
      out[k] = v;
    }
  }
  if (Object.keys(dependencies).length > 0) out.dependencies = sorted(dependencies);
  if (Object.keys(peerDependencies).length > 0) out.peerDependencies = sorted(peerDependencies);
  if (Object.keys(devDependencies).length > 0) out.devDependencies = sorted(devDependencies);
  return out;
}

/** Directories (relative to the root) of the packages that are published. */
export function publishedPackageDirs() {
  return readdirSync(join(root, 'packages'))
    .map((d) => `packages/${d}`)
    .filter((d) => existsSync(join(root, d, 'package.json')))
    .filter((d) => JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).private !== true)
    .sort();
}

function main() {
  const check = process.argv.includes('--check');
  const problems = [];
  // Directories named on the command line (packages/x), else every published package.
  const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const dir of named.length > 0 ? named : publishedPackageDirs()) {
    const file = join(root, dir, 'package.json');
    const text = readFileSync(file, 'utf8');
    const want = `${JSON.stringify(conventional(JSON.parse(text), dir), null, 2)}\n`;
    const license = join(root, dir, 'LICENSE');
    if (check) {
      if (text !== want) problems.push(`${dir}/package.json does not follow the conventions`);
      if (!existsSync(license)) problems.push(`${dir}/LICENSE is missing`);
    } else {
      if (text !== want) writeFileSync(file, want);
      copyFileSync(join(root, 'LICENSE'), license);
    }
  }
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\nRun: node scripts/package-conventions.mjs`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
