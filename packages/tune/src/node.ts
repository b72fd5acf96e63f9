// The Node entry of @jute/tune: everything of the browser-safe core, plus the file journal.

export { fileJournal } from './file-journal';
export * from './index';
