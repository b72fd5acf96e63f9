import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two entries: the Node one, and an empty browser one (the datasets are files on disk), so a
// browser bundle that imports the package builds and says what is Node-only at run time.
export default defineConfig({ ...libraryBuild, entry: ['src/index.ts', 'src/browser.ts'] });
