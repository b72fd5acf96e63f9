#!/usr/bin/env node
// Measures the floor under the browser bundle of a program that builds arrays and calls
// `grad`: the same program bundled from the sources three times, with the entry of
// `@jute/tensor` wiring no backend, the TypeScript backend only, and the default
// (WebAssembly) one. A stubbed backend is an empty object, so the first bundle keeps only
// the core, the op library and autodiff. Prints a table of minified and gzipped sizes;
// `pnpm check` runs it (so the measurement keeps working) after `pack-consume`, which
// holds the shipped bundle to its budget. See docs/architecture.md, "The floor".
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// Real paths: esbuild names an importer by its real path.
const root = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..'));
const esbuild = createRequire(join(root, 'package.json'))('esbuild');
const tensorEntry = join(root, 'packages', 'tensor', 'src', 'index.ts');
const program = `import * as jt from '@jute/tensor'; import { grad } from '@jute/autodiff';
console.log(grad((x) => jt.sum(jt.square(x)))(jt.array([1, 2, 3])).toArray());`;

/** The entry's backend imports, and what a stub of each must export. */
const BACKENDS = {
  './backend/cpu': 'export const cpuBackend = {};',
  './backend/wasm':
    'export const defaultBackend = () => ({}); export const wasmBackend = defaultBackend;',
  './wasm/index': '',
};

/**
 * An esbuild plugin that replaces the entry's imports of `stubbed` with their stubs, and
 * records in `used` which it replaced.
 */
function stubBackends(stubbed, used) {
  return {
    name: 'stub-backends',
    setup(build) {
      build.onResolve({ filter: /^\.\/(backend|wasm)\// }, (args) => {
        if (args.importer !== tensorEntry || !stubbed.includes(args.path)) return undefined;
        used.add(args.path);
        return { path: args.path, namespace: 'stub' };
      });
      build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
        contents: BACKENDS[args.path],
        loader: 'js',
      }));
    },
  };
}

async function weigh(stubbed) {
  const used = new Set();
  const out = await esbuild.build({
    stdin: { contents: program, resolveDir: join(root, 'packages', 'autodiff'), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    conditions: ['@jute/source'],
    plugins: [stubBackends(stubbed, used)],
    logLevel: 'error',
  });
  // A stub the entry no longer imports would silently measure the full bundle.
  const missed = stubbed.filter((p) => !used.has(p));
  if (missed.length > 0) {
    throw new Error(`bundle-floor: ${tensorEntry} no longer imports ${missed.join(', ')}`);
  }
  const bytes = out.outputFiles[0].contents;
  return { min: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [
  ['no backend', Object.keys(BACKENDS)],
  ['the TypeScript backend only', ['./backend/wasm', './wasm/index']],
  ['the default (WebAssembly) backend', []],
];
const table = ['| the entry wires | minified | gzipped |', '|---|---|---|'];
for (const [label, stubbed] of rows) {
  const { min, gz } = await weigh(stubbed);
  table.push(`| ${label} | ${kb(min)} | ${kb(gz)} |`);
}
console.log(`bundle-floor: arrays + grad, from the sources\n${table.join('\n')}`);
