import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two entries: the browser-safe core, and `@jute/tune/node` with the file journal.
export default defineConfig({ ...libraryBuild, entry: ['src/index.ts', 'src/node.ts'] });
