import * as jt from '@jute/tensor';
import { checkFeatures, layerShapeError } from './errors';
import { type Initializer, lecunNormal, zeros } from './initializers';
import { EMPTY, type Layer } from './layer';

// Masked logits get the most negative finite float32, not -inf, so a fully masked row
// gives uniform weights instead of NaN (as Flax does).
const MASKED = -3.4028234663852886e38;

/**
 * `softmax(q kᵀ · scale) v` with `q: [..., tq, d]`, `k: [..., tk, d]`, `v: [..., tk, dv]`
 * (leading axes are batch and head axes). `mask` is a boolean array broadcastable to
 * `[..., tq, tk]`, true where a query may attend to a key. `scale` defaults to `1/sqrt(d)`.
 * @example
 * const out = nn.scaledDotProductAttention(q, k, v, { mask: nn.causalMask(8) }); // [..., 8, dv]
 */
export function scaledDotProductAttention(
  q: jt.Array,
  k: jt.Array,
  v: jt.Array,
  options: { mask?: jt.Array; scale?: number } = {},
): jt.Array {
  const op = 'scaledDotProductAttention';
  if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) {
    throw new jt.ShapeError(
      `${op}: q, k and v need rank >= 2 [..., length, depth], got ${jt.fmtShape(q.shape)}, ${jt.fmtShape(k.shape)}, ${jt.fmtShape(v.shape)}`,
    );
  }
  const d = q.shape[q.ndim - 1]!;
  if (k.shape[k.ndim - 1] !== d)
    throw new jt.ShapeError(
      `${op}: query depth ${d} differs from key depth: q ${jt.fmtShape(q.shape)}, k ${jt.fmtShape(k.shape)}`,
    );
  if (k.shape[k.ndim - 2] !== v.shape[v.ndim - 2])
    throw new jt.ShapeError(
      `${op}: keys and values differ in length: k ${jt.fmtShape(k.shape)}, v ${jt.fmtShape(v.shape)}`,
    );
  const scale = options.scale ?? 1 / Math.sqrt(d);
  let logits = jt.mul(jt.matmul(q, jt.swapAxes(k, -1, -2)), scale);
  if (options.mask) {
    const m = options.mask.dtype === 'bool' ? options.mask : jt.cast(options.mask, 'bool');
    logits = jt.where(m, logits, MASKED);
  }
  return jt.matmul(jt.softmax(logits, { axis: -1 }), v);
}

/**
 * A causal (lower-triangular) boolean mask `[length, length]`: query `i` attends to keys `j <= i`.
 * @example nn.scaledDotProductAttention(q, k, v, { mask: nn.causalMask(q.shape[q.ndim - 2]!) })
 */
export function causalMask(length: number): jt.Array {
  const i = jt.arange(length, undefined, 1, { dtype: 'int32' });
  return jt.greaterEqual(jt.expandDims(i, 1), jt.expandDims(i, 0));
}

/** Options of `multiHeadAttention`. @example nn.multiHeadAttention({ numHeads: 8, keyDim: 64 }) */
export interface MultiHeadAttentionOptions {
  numHeads: number;
  /** Depth of each head's queries and keys. */
  keyDim: number;
  /** Depth of each head's values (default `keyDim`). */
  valueDim?: number;
  /** Output features (default: the query's features). */
  outFeatures?: number;
  /** Features of the key/value source when it differs from the query (cross-attention). */
  contextFeatures?: number;
  useBias?: boolean;
  kernelInit?: Initializer;
  biasInit?: Initializer;
}

/** Extra `apply` options of `multiHeadAttention`. */
export interface AttentionApplyOptions {
  /** Keys and values come from here (`[batch, tk, contextFeatures]`); default: the input (self-attention). */
  context?: jt.Array;
  /**
   * Boolean, true = may attend: `[tq, tk]`, `[batch, tq, tk]` or `[batch|1, heads|1, tq, tk]`.
   */
  mask?: jt.Array;
}

interface Projection {
  kernel: jt.Array;
  bias?: jt.Array;
}

/** Parameters of `multiHeadAttention`: query/key/value projections to `heads * depth` and the output projection. */
export type MultiHeadAttentionParams = {
  query: Projection;
  key: Projection;
  value: Projection;
  out: Projection;
};

/**
 * Multi-head attention (Vaswani et al. 2017) over `[batch, length, features]`:
 * self-attention by default, cross-attention with `context`.
 * @example
 * const mha = nn.multiHeadAttention({ numHeads: 4, keyDim: 16 });
 * const { params } = mha.init(key, [2, 10, 64]);
 * const { y } = mha.apply(params, x, { mask: nn.causalMask(10) }); // [2,10,64]
 */
export function multiHeadAttention(
  options: MultiHeadAttentionOptions,
): Layer<MultiHeadAttentionParams, Record<string, never>, AttentionApplyOptions> {
  const {
    numHeads: h,
    keyDim,
    useBias = true,
    kernelInit = lecunNormal,
    biasInit = zeros,
  } = options;
  const valueDim = options.valueDim ?? keyDim;
  for (const [n, v] of [
    ['numHeads', h],
    ['keyDim', keyDim],
    ['valueDim', valueDim],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new jt.ValueError(`multiHeadAttention: ${n} must be a positive integer, got ${v}`);
  }
  const kind = 'multi_head_attention';
  const proj = (key: jt.Array, inF: number, outF: number): Projection => {
    const [kk, kb] = jt.random.split(key, 2);
    const p: Projection = { kernel: kernelInit(kk!, [inF, outF]) };
    if (useBias) p.bias = biasInit(kb!, [outF]);
    return p;
  };
  const run = (p: Projection, x: jt.Array) =>
    p.bias ? jt.add(jt.matmul(x, p.kernel), p.bias) : jt.matmul(x, p.kernel);
  // [b, t, h*d] → [b, h, t, d]
  const heads = (x: jt.Array, d: number) =>
    jt.transpose(jt.reshape(x, [x.shape[0]!, x.shape[1]!, h, d]), [0, 2, 1, 3]);
  const checkInput = (what: string, shape: jt.Shape) => {
    if (shape.length !== 3)
      throw layerShapeError(
        kind,
        `expected ${what} of rank 3 [batch, length, features], got ${jt.fmtShape(shape)}`,
      );
  };
  return {
    name: kind,
    init(key, inputShape) {
      checkInput('an input', inputShape);
      const f = inputShape[2]!;
      const cf = options.contextFeatures ?? f;
      const outF = options.outFeatures ?? f;
      const [kq, kk, kv, ko] = jt.random.split(key, 4);
      return {
        params: {
          query: proj(kq!, f, h * keyDim),
          key: proj(kk!, cf, h * keyDim),
          value: proj(kv!, cf, h * valueDim),
          out: proj(ko!, h * valueDim, outF),
        },
        state: EMPTY,
        outputShape: [inputShape[0]!, inputShape[1]!, outF],
      };
    },
    apply(params, x, o) {
      checkInput('an input', x.shape);
      checkFeatures(kind, x.shape, params.query.kernel.shape[0]!);
      const ctx = o?.context ?? x;
      checkInput('a context', ctx.shape);
      checkFeatures(kind, ctx.shape, params.key.kernel.shape[0]!, 'context features');
      if (ctx.shape[0] !== x.shape[0])
        throw layerShapeError(
          kind,
          `input ${jt.fmtShape(x.shape)} and context ${jt.fmtShape(ctx.shape)} differ in batch size`,
        );
      const q = heads(run(params.query, x), keyDim);
      const k = heads(run(params.key, ctx), keyDim);
      const v = heads(run(params.value, ctx), valueDim);
      let mask = o?.mask;
      if (mask && mask.ndim === 3) mask = jt.expandDims(mask, 1);
      if (mask && (mask.ndim < 2 || mask.ndim > 4))
        throw layerShapeError(
          kind,
          `mask must have rank 2, 3 or 4, got ${jt.fmtShape(mask.shape)}`,
        );
      let attended: jt.Array;
      try {
        attended = scaledDotProductAttention(q, k, v, mask ? { mask } : {});
      } catch (e) {
        if (e instanceof jt.ShapeError)
          throw layerShapeError(
            kind,
            `mask ${jt.fmtShape(mask?.shape ?? [])} does not fit [batch, heads, ${x.shape[1]}, ${ctx.shape[1]}]: ${e.message}`,
          );
        throw e;
      }
      const merged = jt.reshape(jt.transpose(attended, [0, 2, 1, 3]), [
        x.shape[0]!,
        x.shape[1]!,
        h * valueDim,
      ]);
      return { y: run(params.out, merged), state: o?.state ?? EMPTY };
    },
  };
}
