import * as jt from '@jute/tensor';
import { EMPTY, type Layer } from './layer';

/** Options of `dropout`. @example nn.dropout({ rate: 0.1 }) */
export interface DropoutOptions {
  /** Probability of dropping each element, in `[0, 1)`. */
  rate: number;
  /** Axes along which one mask is shared (e.g. `[1, 2]` drops whole channels of NHWC images). */
  broadcastAxes?: readonly number[];
}

/**
 * Inverted dropout: in training, zeroes each element with probability `rate` and scales
 * the rest by `1 / (1 - rate)`, so inference is the identity. Training needs an explicit
 * `key`.
 * @example
 * const drop = nn.dropout({ rate: 0.5 });
 * const { y } = drop.apply({}, x, { training: true, key: jt.random.key(1) });
 */
export function dropout(
  options: DropoutOptions,
): Layer<Record<string, never>, Record<string, never>> {
  const { rate } = options;
  if (!(rate >= 0 && rate < 1))
    throw new jt.ValueError(`dropout: rate must be in [0, 1), got ${rate}`);
  return {
    name: 'dropout',
    init: (_key, inputShape) => ({ params: EMPTY, state: EMPTY, outputShape: [...inputShape] }),
    apply(_params, x, o) {
      const state = o?.state ?? EMPTY;
      if (!o?.training || rate === 0) return { y: x, state };
      if (!o.key) {
        throw new jt.ValueError(
          'dropout: training mode needs a PRNG key: pass { training: true, key } to apply (or training: false for inference)',
        );
      }
      const maskShape = x.shape.map((d, i) =>
        options.broadcastAxes?.some((a) => jt.normalizeAxis('dropout', a, x.ndim) === i) ? 1 : d,
      );
      const keep = jt.random.bernoulli(o.key, 1 - rate, maskShape);
      return { y: jt.where(keep, jt.div(x, 1 - rate), 0), state };
    },
  };
}
