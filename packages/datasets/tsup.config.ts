import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two entries: the Node one, which reads the datasets from disk, and the browser one, which
// fetches MNIST's digit files from a URL and leaves out what only reads files (Moby-Dick).
export default defineConfig({ ...libraryBuild, entry: ['src/index.ts', 'src/browser.ts'] });
