// Type-checked under `bundler` resolution only (no `node` condition, as for a browser
// bundle): @jute/data's types are those of its browser build, without the file loaders.
import * as data from '@jute/data';

export const parse: typeof data.parseCsv = data.parseCsv;
// @ts-expect-error readCsv reads files: it is not in the browser build
export const read = data.readCsv;
