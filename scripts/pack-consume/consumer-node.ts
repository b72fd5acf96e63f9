// Type-checked under `nodenext` resolution: @jute/data's Node build has the file loaders.
import * as data from '@jute/data';

export const read: typeof data.readCsv = data.readCsv;
