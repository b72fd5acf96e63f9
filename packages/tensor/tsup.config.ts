import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

/**
 * The entry's namespace re-exports (`jt.random`, `jt.tree`), built as files of their own
 * and imported by `dist/index.js` as modules. Bundled into the entry, each became an
 * object built by a top-level call, which a user's bundler keeps whether or not the
 * program uses the namespace; an imported module namespace is dropped when unused.
 */
const namespaceFiles: Record<string, string> = {
  './random': './random.js',
  './core/tree': './tree.js',
};

// Entries sharing chunks: the user namespace, the `core` subpath for transform authors
// (one module instance of the interpreter stack behind both), and the namespace files.
export default defineConfig({
  ...(libraryBuild as object),
  entry: {
    index: 'src/index.ts',
    core: 'src/core.ts',
    random: 'src/random.ts',
    tree: 'src/core/tree.ts',
  },
  esbuildPlugins: [
    {
      name: 'jute-namespace-files',
      setup(build) {
        build.onResolve({ filter: /^\.\/(random|core\/tree)$/ }, (args) =>
          /[\\/]src[\\/]index\.ts$/.test(args.importer)
            ? { path: namespaceFiles[args.path]!, external: true }
            : undefined,
        );
      },
    },
  ],
});
