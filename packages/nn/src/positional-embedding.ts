import * as jt from '@jute/tensor';
import { checkFeatures, layerShapeError } from './errors';
import { type Initializer, normal } from './initializers';
import { EMPTY, type Layer } from './layer';

/** Options of `positionalEmbedding`. @example nn.positionalEmbedding({ maxLength: 256 }) */
export interface PositionalEmbeddingOptions {
  /** Number of positions the table holds (the longest sequence the model can read). */
  maxLength: number;
  /** Default `normal(0.02)` (as GPT-2). */
  embeddingInit?: Initializer;
}

/** Parameters of `positionalEmbedding`: one learned vector per position, `[maxLength, features]`. */
export type PositionalEmbeddingParams = {
  embedding: jt.Array;
};

/** Extra `apply` option of `positionalEmbedding`. */
export interface PositionalApplyOptions {
  /**
   * Position of the first row of the input (default 0): a number, or an int32 scalar array
   * such as a key/value cache's length while decoding.
   */
  offset?: number | jt.Array;
}

/**
 * Learned absolute positional embeddings: `x: [batch, time, features]` plus the table's rows
 * `offset .. offset + time` (a gather, so only the rows used receive gradient).
 * @example
 * const pos = nn.positionalEmbedding({ maxLength: 128 });
 * const { params } = pos.init(key, [8, 64, 32]);        // embedding [128,32]
 * const { y } = pos.apply(params, tokens, { offset: 5 }); // rows 5 .. 68 added
 */
export function positionalEmbedding(
  options: PositionalEmbeddingOptions,
): Layer<PositionalEmbeddingParams, Record<string, never>, PositionalApplyOptions> {
  const { maxLength, embeddingInit = normal(0.02) } = options;
  const kind = 'positional_embedding';
  if (!Number.isInteger(maxLength) || maxLength < 1)
    throw new jt.ValueError(
      `positionalEmbedding: maxLength must be a positive integer, got ${maxLength}`,
    );
  const checkTime = (shape: jt.Shape, offset: number) => {
    if (shape.length !== 3)
      throw layerShapeError(
        kind,
        `expected an input of rank 3 [batch, time, features], got ${jt.fmtShape(shape)}`,
      );
    if (offset + shape[1]! > maxLength)
      throw layerShapeError(
        kind,
        `positions ${offset} .. ${offset + shape[1]! - 1} exceed the ${maxLength} the table holds`,
      );
  };
  return {
    name: kind,
    init(key, inputShape) {
      checkTime(inputShape, 0);
      return {
        params: { embedding: embeddingInit(key, [maxLength, inputShape[2]!]) },
        state: EMPTY,
        outputShape: [...inputShape],
      };
    },
    apply(params, x, o) {
      const offset = o?.offset ?? 0;
      checkTime(x.shape, typeof offset === 'number' ? offset : 0);
      checkFeatures(kind, x.shape, params.embedding.shape[1]!);
      const t = x.shape[1]!;
      const rows =
        offset === 0
          ? jt.slice(params.embedding, [0, 0], [t, params.embedding.shape[1]!])
          : jt.take(
              params.embedding,
              jt.add(jt.arange(t, undefined, 1, { dtype: 'int32' }), offset),
              {
                axis: 0,
              },
            );
      return { y: jt.add(x, rows), state: o?.state ?? EMPTY };
    },
  };
}
