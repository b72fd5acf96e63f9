/**
 * The part of `@jute/data` that runs anywhere (browsers included): datasets, and the
 * CSV, IDX and safetensors codecs over bytes. Bundlers pick it through the `browser`
 * export condition; in Node, `@jute/data` adds the loaders that read files.
 */
export { affineMatrix, affineTransform, type RandomAffineOptions, randomAffine } from './affine';
export { type BatchOptions, batch } from './batch';
export { bilinearSample } from './bilinear-sample';
export { type CharVocab, charVocab } from './char-vocab';
export {
  type CharWindow,
  type CharWindowOptions,
  charWindows,
  type LanguageModelBatchOptions,
  languageModelBatches,
} from './char-windows';
export { type CsvOptions, type CsvTable, parseCsv } from './csv';
export { type CutoutOptions, cutout } from './cutout';
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
export { type GaussianNoiseOptions, gaussianNoise } from './gaussian-noise';
export {
  encodeIdx,
  type IdxData,
  type IdxOptions,
  type IdxType,
  idxDeclaredBytes,
  parseIdx,
} from './idx';
export { chainTransforms, type ImageTransform } from './image-transform';
export { DEFAULT_MAX_BYTES } from './limits';
export { map } from './map';
export { elementKey, mapWithKey } from './map-with-key';
export { betaSample, type MixupOptions, mixup } from './mixup';
export { prefetch } from './prefetch';
export { type RandomFlipOptions, randomFlip } from './random-flip';
export { repeat } from './repeat';
export { type RestoreOptions, restoreInto } from './restore-into';
export {
  decodeSafetensors,
  encodeSafetensors,
  type Safetensors,
  type SafetensorsDType,
  type SafetensorsWriteOptions,
} from './safetensors';
export { type ShuffleOptions, shuffle } from './shuffle';
export { skip } from './skip';
export { type SplitDatasets, type SplitOptions, split } from './split';
export { stratifiedSplit } from './stratified-split';
export { take } from './take';
export {
  type RandomCropOptions,
  type RandomTranslateOptions,
  randomCrop,
  randomTranslate,
  translate,
} from './translate';
export { zip } from './zip';
