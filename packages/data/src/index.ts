/**
 * `@jute/data`: lazy, re-iterable dataset pipelines composed with fp-ts `pipe`, text
 * corpora, CSV, IDX and safetensors I/O (the embedded MNIST and Moby-Dick live in
 * `@jute/datasets`). Everything that touches
 * files returns a `TaskEither<DataError, A>`. Bundlers for the browser get
 * `./browser` instead: the same minus the file loaders.
 * @packageDocumentation
 */
export * from './browser';
export { readCsv } from './csv-file';
export { readIdx, readIdxRaw } from './idx-file';
export { readSafetensors, writeSafetensors } from './safetensors-file';
export { stratifiedSplit } from './stratified-split';
export { loadTextCorpus } from './text-corpus';
