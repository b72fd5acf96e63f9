import * as jt from '@jute/tensor';
import type { EmbeddingParams } from './embedding';
import { checkFeatures } from './errors';

/**
 * Weight tying (Press & Wolf 2017): the output projection of a language model reuses the
 * input embedding table, `logits = x @ embeddingᵀ`, so `x: [..., features]` gives
 * `[..., vocabSize]`. The table then learns from both ends of the network, and the model
 * saves `features · vocabSize` parameters. Because the same array appears twice in the
 * function, `grad` sums the two gradients with no extra code.
 * @example
 * const emb = nn.embedding({ vocabSize: 65, features: 64 });
 * const h = emb.apply(params.embed, ids).y;        // ... the rest of the network ...
 * const logits = nn.tiedLogits(params.embed, h);   // [batch, time, 65]
 */
export function tiedLogits(params: EmbeddingParams, x: jt.Array): jt.Array {
  const table = params.embedding;
  checkFeatures('tied_logits', x.shape, table.shape[1]!, 'embedding features');
  return jt.matmul(x, jt.transpose(table));
}
