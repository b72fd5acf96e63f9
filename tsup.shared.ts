import { defineConfig } from 'tsup';

/** Every library package builds the same way: ESM + declarations + source maps from src/index.ts. */
export const libraryBuild = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
