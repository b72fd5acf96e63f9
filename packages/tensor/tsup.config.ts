import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two entries sharing chunks: the user namespace and the `core` subpath for transform
// authors (one module instance of the interpreter stack behind both).
export default defineConfig({
  ...(libraryBuild as object),
  entry: ['src/index.ts', 'src/core.ts'],
});
