/**
 * The browser build of `@jute/datasets`: empty. The datasets are files read from disk in
 * Node; in a browser, fetch the data yourself and decode it with `@jute/data`'s codecs.
 * @packageDocumentation
 */
export {};
