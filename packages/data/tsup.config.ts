import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two entries: the Node one, and the browser-safe one bundlers pick (no node: imports).
export default defineConfig({ ...libraryBuild, entry: ['src/index.ts', 'src/browser.ts'] });
