/**
 * `@jute/nn`: neural-network layers as pure `init`/`apply` pairs over parameter pytrees,
 * with combinators, activations, initializers and parameter utilities.
 * @packageDocumentation
 */
export {
  type Activation,
  elu,
  gelu,
  hardTanh,
  leakyRelu,
  logSoftmax,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  tanh,
} from './activations';
export {
  type AttentionApplyOptions,
  causalMask,
  type MultiHeadAttentionOptions,
  type MultiHeadAttentionParams,
  multiHeadAttention,
  scaledDotProductAttention,
} from './attention';
export {
  type BatchNormOptions,
  type BatchNormState,
  batchNorm,
  type NormParams,
} from './batch-norm';
export {
  type AttentionState,
  type CausalSelfAttention,
  type CausalSelfAttentionOptions,
  type CausalSelfAttentionParams,
  causalSelfAttention,
  type KVCache,
} from './causal-self-attention';
export type { ChildTreesOf, ParamsOf, StateOf } from './child-trees';
export { type LayerLike, type NamedChild, nameChildren } from './children';
export { type ConvLayerOptions, type ConvParams, conv1d, conv2d, convTranspose2d } from './conv';
export { type DenseOptions, type DenseParams, dense } from './dense';
export { type DropoutOptions, dropout } from './dropout';
export { type EmbeddingOptions, type EmbeddingParams, embedding } from './embedding';
export { errorPath } from './errors';
export { type FnLayer, fn } from './fn';
export { type GroupNormOptions, groupNorm, instanceNorm } from './group-norm';
export {
  constant,
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  lecunNormal,
  lecunUniform,
  normal,
  ones,
  orthogonal,
  truncatedNormal,
  uniform,
  type VarianceScalingOptions,
  varianceScaling,
  zeros,
} from './initializers';
export {
  type AnyLayer,
  type ApplyOptions,
  type ApplyResult,
  EMPTY,
  type InitResult,
  isEmptyTree,
  type Layer,
  named,
  type Params,
} from './layer';
export { layerNorm, type NormOptions } from './layer-norm';
export { type Branch, branch, parallel } from './parallel';
export {
  combine,
  countParams,
  type LeafPredicate,
  type Mask,
  partition,
  treeL2Norm,
} from './params';
export {
  avgPool2d,
  flatten,
  globalAvgPool,
  globalMaxPool,
  maxPool2d,
  type PoolLayerOptions,
} from './pooling';
export {
  type PositionalApplyOptions,
  type PositionalEmbeddingOptions,
  type PositionalEmbeddingParams,
  positionalEmbedding,
} from './positional-embedding';
export {
  type Bidirectional,
  bidirectional,
  type CellLayer,
  gru,
  lstm,
  type RecurrentApplyOptions,
  type RecurrentLayer,
  type RecurrentOptions,
  type RecurrentResult,
  rnn,
  simpleRnn,
} from './recurrent';
export { residual } from './residual';
export { type RmsNormOptions, type RmsNormParams, rmsNorm } from './rms-norm';
export {
  type Cell,
  type CellOptions,
  type GruCellParams,
  gruCell,
  type LstmCarry,
  lstmCell,
  type RnnCellParams,
  simpleRnnCell,
} from './rnn-cells';
export { type RotaryOptions, rotaryEmbedding } from './rope';
export { type ChildTrees, type Sequential, sequential } from './sequential';
export { tiedLogits } from './tied-logits';
export {
  type MlpParams,
  type TransformerBlock,
  type TransformerBlockOptions,
  type TransformerBlockParams,
  type TransformerBlockState,
  transformerBlock,
} from './transformer-block';
