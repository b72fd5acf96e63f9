/**
 * `@jute/data`: lazy, re-iterable dataset pipelines composed with fp-ts `pipe`, the
 * MNIST and text loaders, CSV, IDX and safetensors I/O. Everything that touches
 * files returns a `TaskEither<DataError, A>`.
 * @packageDocumentation
 */
export { type BatchOptions, batch } from './batch';
export { type CharVocab, charVocab } from './char-vocab';
export {
  type CharWindow,
  type CharWindowOptions,
  charWindows,
  type LanguageModelBatchOptions,
  languageModelBatches,
} from './char-windows';
export { type CsvOptions, type CsvTable, parseCsv, readCsv } from './csv';
export {
  type Batched,
  collect,
  type Dataset,
  defaultContext,
  type IndexedPlan,
  type IterationContext,
  identityOrder,
  makeDataset,
  makeIndexedDataset,
  type Table,
} from './dataset';
export { epoch } from './epoch';
export { type DataError, type DataErrorTag, dataErrorToError, formatDataError } from './errors';
export { filter } from './filter';
export { arrayTable, fromArrays } from './from-arrays';
export { fromGenerator } from './from-generator';
export { encodeIdx, type IdxData, type IdxType, parseIdx, readIdx, readIdxRaw } from './idx';
export { map } from './map';
export {
  type LabelledImages,
  loadMnist,
  type Mnist,
  type MnistOptions,
  stratifiedSplit,
} from './mnist';
export { prefetch } from './prefetch';
export { repeat } from './repeat';
export { type RestoreOptions, restoreInto } from './restore-into';
export {
  decodeSafetensors,
  encodeSafetensors,
  type Safetensors,
  type SafetensorsDType,
  type SafetensorsWriteOptions,
} from './safetensors';
export { readSafetensors, writeSafetensors } from './safetensors-file';
export { type ShuffleOptions, shuffle } from './shuffle';
export { skip } from './skip';
export { type SplitDatasets, type SplitOptions, split } from './split';
export { take } from './take';
export { defaultCorpusPath, loadTextCorpus } from './text-corpus';
export { zip } from './zip';
