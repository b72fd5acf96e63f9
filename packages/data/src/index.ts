/**
 * `@jute/data`: lazy, re-iterable dataset pipelines composed with fp-ts `pipe`, the
 * MNIST and text loaders, CSV, IDX and safetensors I/O. Everything that touches
 * files returns a `TaskEither<DataError, A>`. Bundlers for the browser get
 * `./browser` instead: the same minus the file loaders.
 * @packageDocumentation
 */
export * from './browser';
export { readCsv } from './csv-file';
export { readIdx, readIdxRaw } from './idx-file';
export {
  type LabelledImages,
  loadMnist,
  type Mnist,
  type MnistOptions,
  stratifiedSplit,
} from './mnist';
export { readSafetensors, writeSafetensors } from './safetensors-file';
export { defaultCorpusPath, loadTextCorpus } from './text-corpus';
