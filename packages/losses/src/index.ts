/**
 * `@jute/losses`: numerically stable loss functions. Each returns one value per example
 * (shape `[batch]`, or the leading axes for sequences); the caller reduces.
 * @packageDocumentation
 */
export { type BinaryCrossEntropyOptions, binaryCrossEntropy } from './binary-cross-entropy';
export { type CosineSimilarityOptions, cosineSimilarity } from './cosine-similarity';
export { type FocalOptions, focal } from './focal';
export {
  type GeneralizedCrossEntropyOptions,
  generalizedCrossEntropy,
} from './generalized-cross-entropy';
export { hinge } from './hinge';
export { type HuberOptions, huber } from './huber';
export { klDivergence } from './kl-divergence';
export { l1Penalty } from './l1-penalty';
export { l2Penalty } from './l2-penalty';
export { logCosh } from './log-cosh';
export { meanAbsoluteError } from './mean-absolute-error';
export { meanSquaredError } from './mean-squared-error';
export { sigmoidBinaryCrossEntropy } from './sigmoid-binary-cross-entropy';
export { softmaxCrossEntropy } from './softmax-cross-entropy';
export {
  type SparseSoftmaxCrossEntropyOptions,
  sparseSoftmaxCrossEntropy,
} from './sparse-softmax-cross-entropy';
export { squaredHinge } from './squared-hinge';
