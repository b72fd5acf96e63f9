import * as nn from '@jute/nn';
import * as jt from '@jute/tensor';

/** The hyperparameters that fix a character GPT's shapes (stored in checkpoints). */
export interface GptConfig {
  /** Distinct characters: embedding rows and output logits (the table is shared). */
  readonly vocabSize: number;
  /** Longest sequence the model reads (the attention window while sampling). */
  readonly context: number;
  /** Width of the residual stream. */
  readonly dim: number;
  /** Transformer blocks. */
  readonly layers: number;
  /** Attention heads per block (`dim` must divide by it). */
  readonly heads: number;
  /** MLP of each block. */
  readonly mlp: 'gelu' | 'swiglu';
  /** Rotary embeddings in the attention, or a learned table added to the input. */
  readonly positions: 'rope' | 'learned';
}

/** Parameters: the shared character table, the position table (learned positions only), the blocks, the final norm. */
export interface GptParams {
  embed: nn.EmbeddingParams;
  pos?: nn.PositionalEmbeddingParams;
  blocks: Record<string, nn.TransformerBlockParams>;
  norm: nn.RmsNormParams;
}

/** The key/value caches of every block, plus how many positions they hold. */
export interface GptCache {
  blocks: Record<string, nn.TransformerBlockState>;
  length: jt.Array;
}

/** What `apply` takes besides the parameters and ids. */
export interface GptApplyOptions {
  /** Dropout on (needs `key`). */
  readonly training?: boolean;
  readonly key?: jt.Array;
  /** Decode incrementally: `ids` are the positions after those in the cache. */
  readonly cache?: GptCache;
}

/** A character-level GPT: pure functions of its parameters. */
export interface CharGpt {
  readonly config: GptConfig;
  init(key: jt.Array): GptParams;
  /** Logits `[batch, time, vocab]` for int32 ids `[batch, time]`, and the grown cache when one was given. */
  apply(
    params: GptParams,
    ids: jt.Array,
    options?: GptApplyOptions,
  ): { logits: jt.Array; cache?: GptCache };
  /** Empty caches for `batch` sequences of up to `maxLength` (default `context`) positions. */
  initCache(params: GptParams, batch: number, maxLength?: number): GptCache;
}

const blockName = (i: number) => `block_${i}`;

/**
 * A decoder-only transformer over characters (GPT-2's layout with today's choices):
 * a token embedding (plus a learned position table, unless RoPE rotates queries and keys),
 * `layers` pre-norm `nn.transformerBlock`s, a final `nn.rmsNorm`, and logits from the same
 * embedding table (`nn.tiedLogits`). The output kernels of each block start scaled by
 * `1/sqrt(2·layers)` (GPT-2), so the residual stream's variance does not grow with depth.
 * @example
 * const model = charGpt({ vocabSize: 83, context: 128, dim: 64, layers: 2, heads: 4, mlp: 'gelu', positions: 'rope' });
 * const params = model.init(jt.random.key(0));
 * const { logits } = model.apply(params, ids); // ids int32 [batch, time]
 */
export function charGpt(config: GptConfig, options: { dropout?: number } = {}): CharGpt {
  const { vocabSize, context, dim, layers, heads } = config;
  const embed = nn.embedding({ vocabSize, features: dim, embeddingInit: nn.normal(0.02) });
  const pos = nn.positionalEmbedding({ maxLength: context });
  const residualStd = 0.02 / Math.sqrt(2 * layers);
  const block = nn.transformerBlock({
    numHeads: heads,
    mlp: config.mlp,
    rope: config.positions === 'rope',
    dropoutRate: options.dropout ?? 0,
    kernelInit: nn.normal(0.02),
    residualKernelInit: nn.normal(residualStd),
  });
  const norm = nn.rmsNorm();
  const names = Array.from({ length: layers }, (_, i) => blockName(i));
  return {
    config,
    init(key) {
      const keys = jt.random.split(key, layers + 3);
      const shape = [1, context, dim];
      const params: GptParams = {
        embed: embed.init(keys[0]!, [1, context]).params,
        blocks: Object.fromEntries(
          names.map((n, i) => [n, block.init(keys[i + 3]!, shape).params]),
        ),
        norm: norm.init(keys[2]!, shape).params,
      };
      if (config.positions === 'learned') params.pos = pos.init(keys[1]!, shape).params;
      return params;
    },
    apply(params, ids, o = {}) {
      const offset = o.cache?.length ?? 0;
      let x = embed.apply(params.embed, ids).y;
      if (params.pos) x = pos.apply(params.pos, x, { offset }).y;
      const caches: Record<string, nn.TransformerBlockState> = {};
      names.forEach((name, i) => {
        const r = block.apply(params.blocks[name]!, x, {
          training: o.training ?? false,
          ...(o.key ? { key: jt.random.foldIn(o.key, i) } : {}),
          ...(o.cache ? { state: o.cache.blocks[name]! } : {}),
        });
        x = r.y;
        caches[name] = r.state;
      });
      const logits = nn.tiedLogits(params.embed, norm.apply(params.norm, x).y);
      if (!o.cache) return { logits };
      return { logits, cache: { blocks: caches, length: jt.add(o.cache.length, ids.shape[1]!) } };
    },
    initCache(params, batch, maxLength = context) {
      return {
        blocks: Object.fromEntries(
          names.map((n) => [n, block.initCache(params.blocks[n]!, batch, maxLength)]),
        ),
        length: jt.zeros([], { dtype: 'int32' }),
      };
    },
  };
}
