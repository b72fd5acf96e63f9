import * as jt from '@jute/tensor';
import { type Initializer, normal } from './initializers';
import { EMPTY, type Layer } from './layer';

/** Options of `embedding`. @example nn.embedding({ vocabSize: 65, features: 32 }) */
export interface EmbeddingOptions {
  /** Number of distinct ids (ids are `0 .. vocabSize - 1`). */
  vocabSize: number;
  /** Size of each embedding vector. */
  features: number;
  /** Default `normal(1)` (as Flax). */
  embeddingInit?: Initializer;
}

/** Parameters of `embedding`: the table `[vocabSize, features]`. */
export type EmbeddingParams = {
  embedding: jt.Array;
};

/**
 * A lookup table from integer ids to vectors: int32 ids of shape S give `S + [features]`
 * (a gather, so only the looked-up rows receive gradient).
 * @example
 * const emb = nn.embedding({ vocabSize: 100, features: 16 });
 * const { params } = emb.init(key, [8, 20]);
 * const { y } = emb.apply(params, tokenIds); // [8,20,16]
 */
export function embedding(
  options: EmbeddingOptions,
): Layer<EmbeddingParams, Record<string, never>, object, 'embedding'> {
  const { vocabSize, features, embeddingInit = normal(1) } = options;
  if (
    !Number.isInteger(vocabSize) ||
    vocabSize < 1 ||
    !Number.isInteger(features) ||
    features < 1
  ) {
    throw new jt.ValueError(
      `embedding: vocabSize and features must be positive integers, got ${vocabSize} and ${features}`,
    );
  }
  return {
    name: 'embedding',
    init: (key, inputShape) => ({
      params: { embedding: embeddingInit(key, [vocabSize, features]) },
      state: EMPTY,
      outputShape: [...inputShape, features],
    }),
    apply(params, x, o) {
      if (x.dtype !== 'int32')
        throw new jt.DTypeError(
          `embedding: ids must be int32, got ${x.dtype}${jt.fmtShape(x.shape)}`,
        );
      return { y: jt.take(params.embedding, x, { axis: 0 }), state: o?.state ?? EMPTY };
    },
  };
}
