import * as jt from '@jute/tensor';
import { causalMask } from './attention';
import { childKey } from './children';
import { dropout } from './dropout';
import { checkFeatures, layerShapeError } from './errors';
import { type Initializer, lecunNormal, zeros } from './initializers';
import { EMPTY, type Layer } from './layer';
import { rotaryEmbedding } from './rope';

// As in `scaledDotProductAttention`: the most negative finite float32 rather than -inf, so
// a masked logit's weight is exactly 0 and no row can turn into NaN.
const MASKED = -3.4028234663852886e38;

/** Options of `causalSelfAttention`. @example nn.causalSelfAttention({ numHeads: 4, rope: true }) */
export interface CausalSelfAttentionOptions {
  numHeads: number;
  /** Depth of each head (default: input features / `numHeads`). */
  headDim?: number;
  /** Dropout on the attention weights in training (default 0). */
  dropoutRate?: number;
  /** Rotate queries and keys by their positions (RoPE): `true` or `{ base }`. Default off. */
  rope?: boolean | { base?: number };
  /** Biases on the projections (default true). */
  useBias?: boolean;
  kernelInit?: Initializer;
  /** Initializer of the output projection's kernel (default `kernelInit`; GPT-2 scales it down by depth). */
  outKernelInit?: Initializer;
  biasInit?: Initializer;
}

interface Projection {
  kernel: jt.Array;
  bias?: jt.Array;
}

/**
 * Parameters of `causalSelfAttention`: one fused query/key/value projection
 * `[features, 3·heads·headDim]` (one matmul instead of three) and the output projection
 * `[heads·headDim, features]`.
 */
export type CausalSelfAttentionParams = {
  qkv: Projection;
  out: Projection;
};

/**
 * A key/value cache for incremental decoding: the keys and values of the first `length`
 * positions, `[batch, heads, maxLength, headDim]` each (later rows are unused), and
 * `length`, an int32 scalar. Fixed shapes keep every decoding step the same program.
 */
export interface KVCache {
  key: jt.Array;
  value: jt.Array;
  length: jt.Array;
}

/** The state of `causalSelfAttention`: a {@link KVCache} while decoding, else empty. */
export type AttentionState = KVCache | Record<string, never>;

/** `causalSelfAttention`'s layer, with helpers to start a cache and read the attention weights. */
export interface CausalSelfAttention
  extends Layer<CausalSelfAttentionParams, AttentionState, object> {
  /** An empty cache for `batch` sequences of up to `maxLength` positions. */
  initCache(params: CausalSelfAttentionParams, batch: number, maxLength: number): KVCache;
  /**
   * The attention weights `[batch, heads, time, keys]` that `apply` would use (without
   * dropout): row `i` is the distribution over the positions query `i` attends to.
   */
  weights(
    params: CausalSelfAttentionParams,
    x: jt.Array,
    options?: { state?: AttentionState },
  ): jt.Array;
}

const isCache = (s: AttentionState | undefined): s is KVCache =>
  s !== undefined && 'key' in s && s.key instanceof jt.Array;

/**
 * Multi-head causal self-attention over `[batch, time, features]`: position `i` attends to
 * positions `<= i`. With a {@link KVCache} as `state`, the input holds the *next* positions
 * only: their keys and values are written into the cache at `length`, queries attend to the
 * whole cached prefix, and the returned state is the grown cache. So decoding one token at a
 * time gives the same outputs as running the whole prefix, at a cost linear in its length.
 * @example
 * const attn = nn.causalSelfAttention({ numHeads: 4, rope: true });
 * const { params } = attn.init(key, [2, 16, 64]);
 * const { y } = attn.apply(params, x);                      // [2,16,64], training or scoring
 * let cache = attn.initCache(params, 2, 128);               // decoding: feed a prompt, then one step at a time
 * const r = attn.apply(params, prompt, { state: cache }); cache = r.state as nn.KVCache;
 */
export function causalSelfAttention(options: CausalSelfAttentionOptions): CausalSelfAttention {
  const { numHeads: h, useBias = true, kernelInit = lecunNormal, biasInit = zeros } = options;
  const kind = 'causal_self_attention';
  if (!Number.isInteger(h) || h < 1)
    throw new jt.ValueError(`causalSelfAttention: numHeads must be a positive integer, got ${h}`);
  if (options.headDim !== undefined && !(Number.isInteger(options.headDim) && options.headDim > 0))
    throw new jt.ValueError(
      `causalSelfAttention: headDim must be a positive integer, got ${options.headDim}`,
    );
  const rope = options.rope === true ? {} : options.rope || undefined;
  const drop = dropout({ rate: options.dropoutRate ?? 0 });
  const proj = (key: jt.Array, inF: number, outF: number, init: Initializer): Projection => {
    const [kk, kb] = jt.random.split(key, 2);
    const p: Projection = { kernel: init(kk!, [inF, outF]) };
    if (useBias) p.bias = biasInit(kb!, [outF]);
    return p;
  };
  const run = (p: Projection, x: jt.Array) =>
    p.bias ? jt.add(jt.matmul(x, p.kernel), p.bias) : jt.matmul(x, p.kernel);
  const headDimOf = (p: CausalSelfAttentionParams) => p.qkv.kernel.shape[1]! / (3 * h);
  const checkInput = (shape: jt.Shape) => {
    if (shape.length !== 3)
      throw layerShapeError(
        kind,
        `expected an input of rank 3 [batch, time, features], got ${jt.fmtShape(shape)}`,
      );
  };

  /** Queries, keys and values `[batch, heads, time(+cache), headDim]`, the mask and the next state. */
  function prepare(
    params: CausalSelfAttentionParams,
    x: jt.Array,
    state: AttentionState | undefined,
  ) {
    checkInput(x.shape);
    checkFeatures(kind, x.shape, params.qkv.kernel.shape[0]!);
    const [b, t] = x.shape as [number, number, number];
    const d = headDimOf(params);
    // [b, t, 3·h·d] → [b, 3h, t, d], then q, k, v are three slices of the head axis.
    const fused = jt.transpose(jt.reshape(run(params.qkv, x), [b, t, 3 * h, d]), [0, 2, 1, 3]);
    let [q, k, v] = jt.split(fused, 3, 1) as [jt.Array, jt.Array, jt.Array];
    const cache = isCache(state) ? state : undefined;
    const offset = cache ? cache.length : 0;
    if (rope) {
      q = rotaryEmbedding(q, { ...rope, offset });
      k = rotaryEmbedding(k, { ...rope, offset });
    }
    if (!cache) return { q, k, v, mask: causalMask(t), state: state ?? EMPTY };
    const maxLength = cache.key.shape[2]!;
    if (cache.key.shape[0] !== b || cache.key.shape[1] !== h || cache.key.shape[3] !== d)
      throw layerShapeError(
        kind,
        `the cache ${jt.fmtShape(cache.key.shape)} does not fit ${b} sequences of ${h} heads of depth ${d}`,
      );
    if (!(cache.length instanceof jt.Array) || cache.length.ndim !== 0)
      throw new jt.ValueError(`${kind}: the cache's length must be an int32 scalar array`);
    const used = concreteNumber(cache.length);
    if (used !== undefined && used + t > maxLength)
      throw new jt.ValueError(
        `${kind}: the cache holds ${maxLength} positions; ${used} are used and ${t} more do not fit`,
      );
    // Position of each new row, and a one-hot [t, maxLength] placing it in the cache.
    const positions = jt.add(jt.arange(t, undefined, 1, { dtype: 'int32' }), offset);
    const slots = jt.arange(maxLength, undefined, 1, { dtype: 'int32' });
    const place = jt.equal(jt.expandDims(positions, 1), jt.expandDims(slots, 0));
    const written = jt.expandDims(jt.any(place, { axis: 0 }), 1); // [maxLength, 1]
    const scatter = (cached: jt.Array, rows: jt.Array) =>
      jt.where(written, jt.matmul(jt.transpose(jt.cast(place, rows.dtype)), rows), cached);
    const key = scatter(cache.key, k);
    const value = scatter(cache.value, v);
    // Query i (at position offset + i) sees the cached slots up to its own position.
    const mask = jt.lessEqual(jt.expandDims(slots, 0), jt.expandDims(positions, 1));
    return {
      q,
      k: key,
      v: value,
      mask,
      state: { key, value, length: jt.add(cache.length, t) } as KVCache,
    };
  }

  const attentionWeights = (q: jt.Array, k: jt.Array, mask: jt.Array) => {
    const d = q.shape[q.ndim - 1]!;
    // Scaling the queries rather than the [time, keys] logits touches fewer elements.
    const logits = jt.matmul(jt.mul(q, 1 / Math.sqrt(d)), jt.swapAxes(k, -1, -2));
    return jt.softmax(jt.where(mask, logits, MASKED), { axis: -1 });
  };

  return {
    name: kind,
    init(key, inputShape) {
      checkInput(inputShape);
      const f = inputShape[2]!;
      const d = options.headDim ?? f / h;
      if (!Number.isInteger(d))
        throw layerShapeError(
          kind,
          `${f} input features do not split into ${h} heads; pass headDim`,
        );
      if (rope && d % 2 !== 0)
        throw layerShapeError(kind, `RoPE rotates pairs of features: headDim ${d} must be even`);
      const [kq, ko] = jt.random.split(key, 2);
      return {
        params: {
          qkv: proj(kq!, f, 3 * h * d, kernelInit),
          out: proj(ko!, h * d, f, options.outKernelInit ?? kernelInit),
        },
        state: EMPTY,
        outputShape: [...inputShape],
      };
    },
    apply(params, x, o) {
      const { q, k, v, mask, state } = prepare(params, x, o?.state);
      let w = attentionWeights(q, k, mask);
      if (o?.training) {
        const dk = childKey(o.key, 0);
        w = drop.apply(EMPTY, w, { training: true, ...(dk ? { key: dk } : {}) }).y;
      }
      const [b, t] = x.shape as [number, number];
      const merged = jt.reshape(jt.transpose(jt.matmul(w, v), [0, 2, 1, 3]), [b, t, -1]);
      return { y: run(params.out, merged), state };
    },
    initCache(params, batch, maxLength) {
      if (!Number.isInteger(maxLength) || maxLength < 1)
        throw new jt.ValueError(`${kind}: maxLength must be a positive integer, got ${maxLength}`);
      const dtype = params.qkv.kernel.dtype;
      const shape = [batch, h, maxLength, headDimOf(params)];
      return {
        key: jt.zeros(shape, { dtype }),
        value: jt.zeros(shape, { dtype }),
        length: jt.zeros([], { dtype: 'int32' }),
      };
    },
    weights(params, x, o) {
      const { q, k, mask } = prepare(params, x, o?.state);
      return attentionWeights(q, k, mask);
    },
  };
}

// A traced length (inside a transform) cannot be read; only a concrete one is range-checked.
function concreteNumber(x: jt.Array): number | undefined {
  try {
    return Number(x.item());
  } catch {
    return undefined;
  }
}
