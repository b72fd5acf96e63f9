import * as jt from '@jute/tensor';
import { gelu, silu } from './activations';
import type { NormParams } from './batch-norm';
import {
  type AttentionState,
  type CausalSelfAttentionParams,
  causalSelfAttention,
  type KVCache,
} from './causal-self-attention';
import { childKey } from './children';
import { type DenseParams, dense } from './dense';
import { dropout } from './dropout';
import { inChild, layerShapeError } from './errors';
import { type Initializer, lecunNormal } from './initializers';
import { EMPTY, type Layer } from './layer';
import { layerNorm } from './layer-norm';
import { type RmsNormParams, rmsNorm } from './rms-norm';

/** Options of `transformerBlock`. @example nn.transformerBlock({ numHeads: 4, mlp: 'swiglu', rope: true }) */
export interface TransformerBlockOptions {
  numHeads: number;
  /** Depth of each attention head (default: features / `numHeads`). */
  headDim?: number;
  /** `'gelu'`: dense → GELU → dense (GPT-2). `'swiglu'`: `(silu(x W) ⊙ x V) W₂` (Shazeer 2020). Default `'gelu'`. */
  mlp?: 'gelu' | 'swiglu';
  /**
   * Hidden width of the MLP (default `4 · features` for GELU and `⌊(8/3) · features⌉` for
   * SwiGLU, which has three matrices: the same parameter count).
   */
  mlpFeatures?: number;
  /** `'rms'` (`rmsNorm`, default) or `'layer'` (`layerNorm`). */
  norm?: 'rms' | 'layer';
  /** Dropout on each branch's output before it joins the residual stream (default 0). */
  dropoutRate?: number;
  /** Dropout on the attention weights (default 0). */
  attentionDropoutRate?: number;
  /** Rotary position embeddings in the attention: `true` or `{ base }`. Default off. */
  rope?: boolean | { base?: number };
  /** Biases on the projections (default true). */
  useBias?: boolean;
  kernelInit?: Initializer;
  /**
   * Initializer of the two kernels that write into the residual stream (attention output
   * and last MLP matrix), default `kernelInit`. GPT-2 scales them by `1/sqrt(2·layers)` so
   * the stream's variance does not grow with depth.
   */
  residualKernelInit?: Initializer;
}

/** Parameters of the MLP: `up` (and `gate` for SwiGLU) to the hidden width, `down` back. */
export type MlpParams = {
  up: DenseParams;
  gate?: DenseParams;
  down: DenseParams;
};

/** Parameters of `transformerBlock`. */
export type TransformerBlockParams = {
  norm1: NormParams | RmsNormParams;
  attention: CausalSelfAttentionParams;
  norm2: NormParams | RmsNormParams;
  mlp: MlpParams;
};

/** State of `transformerBlock`: the attention's key/value cache while decoding, else empty. */
export type TransformerBlockState = { attention: KVCache } | Record<string, never>;

/** `transformerBlock`'s layer, with `initCache` for decoding. */
export interface TransformerBlock
  extends Layer<TransformerBlockParams, TransformerBlockState, object> {
  /** An empty key/value cache (as the block's state) for `batch` sequences of up to `maxLength` positions. */
  initCache(
    params: TransformerBlockParams,
    batch: number,
    maxLength: number,
  ): TransformerBlockState;
}

/**
 * A pre-norm decoder block (GPT-2 and most models since):
 * `x + drop(attention(norm₁(x)))`, then `h + drop(mlp(norm₂(h)))`, with causal
 * self-attention. Normalizing each branch's input, not the residual stream, keeps an
 * identity path from the first block to the last, which is why deep stacks of these train
 * without warm-up tricks. A key/value cache as `state` (from `initCache`) decodes
 * incrementally, as in `causalSelfAttention`.
 * @example
 * const block = nn.transformerBlock({ numHeads: 4, mlp: 'swiglu', rope: true, dropoutRate: 0.1 });
 * const { params } = block.init(key, [8, 64, 128]);
 * const { y } = block.apply(params, x, { training: true, key: dropKey }); // [8,64,128]
 */
export function transformerBlock(options: TransformerBlockOptions): TransformerBlock {
  const kind = 'transformer_block';
  const mlpKind = options.mlp ?? 'gelu';
  if (mlpKind !== 'gelu' && mlpKind !== 'swiglu')
    throw new jt.ValueError(`transformerBlock: mlp must be 'gelu' or 'swiglu', got '${mlpKind}'`);
  const kernelInit = options.kernelInit ?? lecunNormal;
  const residualInit = options.residualKernelInit ?? kernelInit;
  const attention = causalSelfAttention({
    numHeads: options.numHeads,
    ...(options.headDim !== undefined ? { headDim: options.headDim } : {}),
    dropoutRate: options.attentionDropoutRate ?? 0,
    ...(options.rope !== undefined ? { rope: options.rope } : {}),
    useBias: options.useBias ?? true,
    kernelInit,
    outKernelInit: residualInit,
  });
  const norm = () => (options.norm === 'layer' ? layerNorm() : rmsNorm());
  const [norm1, norm2] = [norm(), norm()];
  const drop = dropout({ rate: options.dropoutRate ?? 0 });
  const bias = options.useBias ?? true;

  function mlpLayers(features: number) {
    const hidden =
      options.mlpFeatures ?? (mlpKind === 'gelu' ? 4 * features : Math.round((8 / 3) * features));
    if (!Number.isInteger(hidden) || hidden < 1)
      throw new jt.ValueError(
        `transformerBlock: mlpFeatures must be a positive integer, got ${hidden}`,
      );
    return {
      up: dense({ features: hidden, useBias: bias, kernelInit }),
      gate: dense({ features: hidden, useBias: bias, kernelInit }),
      down: dense({ features, useBias: bias, kernelInit: residualInit }),
    };
  }

  const mlp = (p: MlpParams, x: jt.Array): jt.Array => {
    const features = x.shape[x.ndim - 1]!;
    const m = mlpLayers(features);
    const up = m.up.apply(p.up, x).y;
    const hidden = p.gate ? jt.mul(silu(m.gate.apply(p.gate, x).y), up) : gelu(up);
    return m.down.apply(p.down, hidden).y;
  };

  const branchDrop = (y: jt.Array, training: boolean, key: jt.Array | undefined) =>
    training ? drop.apply(EMPTY, y, { training, ...(key ? { key } : {}) }).y : y;

  return {
    name: kind,
    init(key, inputShape) {
      if (inputShape.length !== 3)
        throw layerShapeError(
          kind,
          `expected an input of rank 3 [batch, time, features], got ${jt.fmtShape(inputShape)}`,
        );
      const f = inputShape[2]!;
      const [k1, k2, k3, k4, k5, k6] = jt.random.split(key, 6);
      const m = mlpLayers(f);
      const up = m.up.init(k4!, inputShape);
      const mlpParams: MlpParams = { up: up.params, down: m.down.init(k5!, up.outputShape).params };
      if (mlpKind === 'swiglu') mlpParams.gate = m.gate.init(k6!, inputShape).params;
      return {
        params: {
          norm1: norm1.init(k1!, inputShape).params,
          attention: inChild('attention', () => attention.init(k2!, inputShape).params),
          norm2: norm2.init(k3!, inputShape).params,
          mlp: mlpParams,
        },
        state: EMPTY,
        outputShape: [...inputShape],
      };
    },
    apply(params, x, o) {
      const training = o?.training ?? false;
      const cache = (o?.state as { attention?: AttentionState } | undefined)?.attention;
      const a = inChild('attention', () =>
        attention.apply(params.attention, norm1.apply(params.norm1, x).y, {
          training,
          ...(cache ? { state: cache } : {}),
          ...(o?.key ? { key: childKey(o.key, 0)! } : {}),
        }),
      );
      const h = jt.add(x, branchDrop(a.y, training, childKey(o?.key, 1)));
      const m = mlp(params.mlp, norm2.apply(params.norm2, h).y);
      const y = jt.add(h, branchDrop(m, training, childKey(o?.key, 2)));
      return { y, state: cache ? { attention: a.state as KVCache } : EMPTY };
    },
    initCache(params, batch, maxLength) {
      return { attention: attention.initCache(params.attention, batch, maxLength) };
    },
  };
}
